//! Text in site.yaml that an author may give per language: a plain string
//! (the same in every language) or a map from language to text
//! (`label: { da: bruger-token, en: user token }`). A localized copy of the
//! site shows the text of its language, else the default language's.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A text with its translations; it reads as the text of the language
/// last chosen with [`Localized::choose`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Localized {
    /// The text in the chosen language.
    text: String,
    /// Language -> text; empty for a plain string.
    by_language: BTreeMap<String, String>,
}

impl Localized {
    /// The text in the chosen language.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Chooses `lang`, falling back to `default`.
    pub fn choose(&mut self, lang: &str, default: &str) {
        if let Some(t) = self
            .by_language
            .get(lang)
            .or_else(|| self.by_language.get(default))
        {
            self.text = t.clone();
        }
    }

    /// The languages it has a text for (none for a plain string).
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.by_language.keys().map(String::as_str)
    }

    /// Every text it holds, for checks.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.text.as_str()).chain(self.by_language.values().map(String::as_str))
    }
}

impl std::ops::Deref for Localized {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for Localized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<&str> for Localized {
    fn from(s: &str) -> Localized {
        Localized {
            text: s.to_owned(),
            by_language: BTreeMap::new(),
        }
    }
}

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(String),
            Many(BTreeMap<String, String>),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::One(text) => Localized {
                text,
                by_language: BTreeMap::new(),
            },
            Raw::Many(by_language) => Localized {
                text: by_language.values().next().cloned().unwrap_or_default(),
                by_language,
            },
        })
    }
}

impl Serialize for Localized {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_chooses_its_language_and_falls_back_to_the_default() {
        let mut l: Localized =
            serde_saphyr::from_str("{ da: bruger-token, en: user token }").unwrap();
        l.choose("en", "da");
        assert_eq!(l.as_str(), "user token");
        l.choose("de", "da");
        assert_eq!(l.as_str(), "bruger-token");
        let mut plain: Localized = serde_saphyr::from_str("app token").unwrap();
        plain.choose("en", "da");
        assert_eq!(&*plain, "app token");
    }
}

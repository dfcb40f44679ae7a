//! Token colours that read on the theme's code backgrounds: each theme
//! colour is moved towards black or white until it reaches WCAG AA
//! contrast (4.5:1).

/// The code backgrounds of the default theme's light and dark schemes
/// (`--code-bg` in style.css). Token colours are adjusted to reach WCAG AA
/// contrast (4.5:1) on them.
pub(super) const LIGHT_BG: (u8, u8, u8) = (0xf8, 0xfa, 0xfc);
pub(super) const DARK_BG: (u8, u8, u8) = (0x0b, 0x12, 0x22);
const MIN_CONTRAST: f64 = 4.6;

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `hex` (rrggbb), moved towards black or white until it reads on `bg`.
pub(super) fn readable(hex: &str, bg: (u8, u8, u8)) -> String {
    let p = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    let mut c = (p(0), p(2), p(4));
    let target: u8 = if luminance(bg) > 0.5 { 0 } else { 255 };
    let step = |v: u8| -> u8 { ((f64::from(v) * 0.92) + f64::from(target) * 0.08).round() as u8 };
    for _ in 0..40 {
        if contrast(c, bg) >= MIN_CONTRAST {
            break;
        }
        c = (step(c.0), step(c.1), step(c.2));
    }
    format!("{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_colours_reach_aa_contrast() {
        assert_eq!(readable("000000", LIGHT_BG), "000000");
        let grey = readable("969896", LIGHT_BG);
        assert_ne!(grey, "969896");
        let p = |i: usize| u8::from_str_radix(&grey[i..i + 2], 16).unwrap();
        assert!(contrast((p(0), p(2), p(4)), LIGHT_BG) >= 4.5);
        let dark = readable("65737e", DARK_BG);
        let q = |i: usize| u8::from_str_radix(&dark[i..i + 2], 16).unwrap();
        assert!(contrast((q(0), q(2), q(4)), DARK_BG) >= 4.5);
    }
}

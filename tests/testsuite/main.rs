//! The integration tests, in one binary (as mdBook's `tests/testsuite`):
//! the real `stepdoc` binary on small fixtures in temp dirs, real HTTP to
//! loopback servers, and every export and snippet run by its real runner.
//! Each module proves one area; `common` holds the fixtures and helpers.

mod common;

mod bad_input;
mod build;
mod errors;
mod example;
mod exports;
mod highlight;
mod hostile_exports;
mod hostile_snippets;
mod kill;
mod languages;
mod mock;
mod mock_chain;
mod openapi;
mod openapi_description;
mod publish;
mod record;
mod record_servers;
mod serve;
mod site;
mod snippets;
mod standards;
mod tink_content;
mod translations;
mod typed_values;

//! Arbitrary bytes → read as JSON and as YAML → validate → write back. Nothing may panic or overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statewright::asl::{Document, SourceFormat};

fuzz_target!(|data: &[u8]| {
    for format in [SourceFormat::Json, SourceFormat::Yaml] {
        if let Ok(doc) = Document::from_bytes(data, format) {
            let _ = statewright::validate::validate_document(&doc);
            let text = doc.to_text();
            if format == SourceFormat::Json {
                assert_eq!(text.as_bytes(), data, "an unedited document must write back byte-identical");
            }
            let _ = doc.canonical_text();
        }
    }
});

//! States.Base64Encode, Base64Decode, Hash.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};
use serde_json::Value;
use sha2::Digest;

use super::Fx;
use crate::expr::{ExprError, json_text};

/// AWS limits the input of these functions to 10,000 characters.
pub const MAX_INPUT_CHARS: usize = 10_000;

pub(crate) const ALGORITHMS: &[&str] = &["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

fn limited<'v>(f: &Fx, args: &'v [Value], i: usize) -> Result<&'v str, ExprError> {
    let s = f.string(args, i)?;
    let n = s.chars().count();
    if n > MAX_INPUT_CHARS {
        return Err(f.fail(format!(
            "the input is {n} characters long; at most {MAX_INPUT_CHARS} are allowed"
        )));
    }
    Ok(s)
}

pub(super) fn base64_encode(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    Ok(Value::String(STANDARD.encode(limited(f, args, 0)?)))
}

pub(super) fn base64_decode(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    let s = limited(f, args, 0)?;
    let bytes = STANDARD_PAD_INDIFFERENT
        .decode(s)
        .map_err(|e| f.fail(format!("the input is not valid base64: {e}")))?;
    Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn hash(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    // A non-string value is hashed as its JSON text.
    let data = match args.first() {
        Some(Value::String(_)) => limited(f, args, 0)?.to_string(),
        Some(v) => {
            json_text::json_to_string(v).ok_or_else(|| f.fail("the value is nested too deeply"))?
        }
        None => return Err(f.fail("the first argument is missing")),
    };
    let alg = f.string(args, 1)?;
    let out = hash_hex(alg, data.as_bytes()).ok_or_else(|| {
        f.fail(format!(
            "the hash algorithm '{alg}' is not supported; use one of {}",
            ALGORITHMS.join(", ")
        ))
    })?;
    Ok(Value::String(out))
}

/// The lowercase hex digest of `d` with one of [`ALGORITHMS`] (`States.Hash`, JSONata `$hash`); `None`
/// for another algorithm name.
pub(crate) fn hash_hex(alg: &str, d: &[u8]) -> Option<String> {
    Some(match alg {
        "MD5" => hex(&md5::Md5::digest(d)),
        "SHA-1" => hex(&sha1::Sha1::digest(d)),
        "SHA-256" => hex(&sha2::Sha256::digest(d)),
        "SHA-384" => hex(&sha2::Sha384::digest(d)),
        "SHA-512" => hex(&sha2::Sha512::digest(d)),
        _ => return None,
    })
}

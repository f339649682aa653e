//! Crash recovery: the designer's autosaves, one file per document, in `CONFIG/recovery/`.
//!
//! A document saved on disk is keyed by a hash of its canonical path (`doc-<16 hex>`), an untitled one by an id
//! made when its first autosave is written (`untitled-<16 hex>`), so two windows never share a file. Each file
//! is one JSON object holding the text, the path it belongs to, its format, when it was written and which
//! process wrote it: a file whose writer is still running belongs to that window and is not offered to another.
//!
//! No egui here: the designer calls these from background threads.

use crate::asl::SourceFormat;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The folder under the config folder that holds the autosaves.
pub const FOLDER: &str = "recovery";

/// One autosave: unsaved work and what it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovery {
    /// The file name without `.json`: [`key_for_path`] or [`untitled_key`].
    pub key: String,
    /// The document's file, or `None` for an untitled document.
    pub path: Option<PathBuf>,
    /// How `text` is written.
    pub format: SourceFormat,
    /// The document's text as it was when autosaved.
    pub text: String,
    /// When it was written, milliseconds since the Unix epoch.
    pub written_ms: i64,
    /// The process that wrote it, and that process's start time (to tell a live writer from a reused pid).
    pub writer: Option<Writer>,
    /// The workflow's mock file as edited, when its mock edits were not saved either (records written before
    /// mocks were autosaved have none).
    pub mocks: Option<RecoveredMocks>,
}

/// Unsaved edits of a workflow's mock file (`NAME.mocks.json`), autosaved with the workflow.
#[derive(Clone, Debug, PartialEq)]
pub struct RecoveredMocks {
    /// The mock file they were read from, or `None` when they were not read from a file of their own (a
    /// bundled example's mocks, or mocks made in the designer).
    pub path: Option<PathBuf>,
    /// The whole mock file's text as edited.
    pub text: String,
}

/// The process that wrote a recovery file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Writer {
    pub pid: u32,
    /// The process's start time as the OS counts it (`/proc/PID/stat` field 22 on Linux), when known.
    pub started: Option<u64>,
}

impl Writer {
    /// This process.
    pub fn current() -> Writer {
        let pid = std::process::id();
        Writer {
            pid,
            started: process_start(pid),
        }
    }

    /// Whether this writer is another process that is still running (its window owns the file).
    pub fn is_other_live_process(&self) -> bool {
        if self.pid == std::process::id() {
            return false;
        }
        match (process_start(self.pid), self.started) {
            (Some(now), Some(then)) => now == then,
            // A live process whose start time was not recorded: assume it is the writer.
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// The start time of a running (not zombie) process, or `None` when it does not run or cannot be asked.
#[cfg(target_os = "linux")]
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so split after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?;
    if state == "Z" || state == "X" {
        return None;
    }
    // Field 22 overall is the 20th after STATE.
    fields.nth(18)?.parse().ok()
}

#[cfg(not(target_os = "linux"))]
fn process_start(_pid: u32) -> Option<u64> {
    None
}

impl Recovery {
    /// An autosave of `text` written now by this process.
    pub fn new(key: String, path: Option<PathBuf>, format: SourceFormat, text: String) -> Recovery {
        let written_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Recovery {
            key,
            path,
            format,
            text,
            written_ms,
            writer: Some(Writer::current()),
            mocks: None,
        }
    }

    /// The same record holding the unsaved mock edits too.
    pub fn with_mocks(mut self, mocks: Option<RecoveredMocks>) -> Recovery {
        self.mocks = mocks;
        self
    }

    /// Whether another window (still running) owns this file.
    pub fn is_owned_elsewhere(&self) -> bool {
        self.writer.is_some_and(|w| w.is_other_live_process())
    }

    fn to_json(&self) -> Value {
        let mut v = json!({
            "statewright_recovery": 1,
            "path": self.path.as_ref().map(|p| p.to_string_lossy().into_owned()),
            "format": match self.format {
                SourceFormat::Json => "json",
                SourceFormat::Yaml => "yaml",
            },
            "written_ms": self.written_ms,
            "pid": self.writer.map(|w| w.pid),
            "pid_started": self.writer.and_then(|w| w.started),
            "text": self.text,
        });
        // Only when there are mock edits: a record without them is read by every version.
        if let Some(m) = &self.mocks {
            v["mocks"] = json!({
                "path": m.path.as_ref().map(|p| p.to_string_lossy().into_owned()),
                "text": m.text,
            });
        }
        v
    }

    fn from_json(key: &str, v: &Value) -> Result<Recovery, String> {
        let text = v
            .get("text")
            .and_then(Value::as_str)
            .ok_or("\"text\" is missing or not a string")?
            .to_owned();
        let path = match v.get("path") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(PathBuf::from(s)),
            Some(_) => return Err("\"path\" is not a string".into()),
        };
        let format = match v.get("format").and_then(Value::as_str) {
            Some("yaml") => SourceFormat::Yaml,
            _ => SourceFormat::Json,
        };
        let writer = v
            .get("pid")
            .and_then(Value::as_u64)
            .and_then(|p| u32::try_from(p).ok())
            .map(|pid| Writer {
                pid,
                started: v.get("pid_started").and_then(Value::as_u64),
            });
        let mocks = match v.get("mocks") {
            None | Some(Value::Null) => None,
            Some(m) => Some(RecoveredMocks {
                text: m
                    .get("text")
                    .and_then(Value::as_str)
                    .ok_or("\"mocks.text\" is missing or not a string")?
                    .to_owned(),
                path: match m.get("path") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(PathBuf::from(s)),
                    Some(_) => return Err("\"mocks.path\" is not a string".into()),
                },
            }),
        };
        Ok(Recovery {
            key: key.to_owned(),
            path,
            format,
            text,
            written_ms: v.get("written_ms").and_then(Value::as_i64).unwrap_or(0),
            writer,
            mocks,
        })
    }
}

/// 64-bit FNV-1a: a hash that stays the same across Rust versions and runs (file names must).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The path as the recovery key sees it: canonical when the file exists, else made absolute.
pub fn canonical(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The key of a document saved at `path`: the same for every spelling of the path.
pub fn key_for_path(path: &Path) -> String {
    let p = canonical(path);
    format!("doc-{:016x}", fnv1a(p.as_os_str().as_encoded_bytes()))
}

/// A new key for an untitled document: unique per process, call and time.
pub fn untitled_key() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!(
        "{}:{nanos}:{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    format!("untitled-{:016x}", fnv1a(seed.as_bytes()))
}

fn file_of(config_dir: &Path, key: &str) -> PathBuf {
    config_dir.join(FOLDER).join(format!("{key}.json"))
}

/// Writes (replaces) the autosave for `r.key`, atomically.
pub fn write(config_dir: &Path, r: &Recovery) -> Result<(), String> {
    let dir = config_dir.join(FOLDER);
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    let file = file_of(config_dir, &r.key);
    let text = serde_json::to_string_pretty(&r.to_json()).map_err(|e| e.to_string())?;
    crate::fsutil::write_atomic(&file, text.as_bytes())
        .map_err(|e| format!("could not write {}: {e}", file.display()))
}

/// The autosave stored under `key`, if there is one; an unreadable file is an error naming it.
pub fn read(config_dir: &Path, key: &str) -> Result<Option<Recovery>, String> {
    let file = file_of(config_dir, key);
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("could not read {}: {e}", file.display())),
    };
    let v: Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}: line {}, column {}: {e}",
            file.display(),
            e.line(),
            e.column()
        )
    })?;
    Recovery::from_json(key, &v)
        .map(Some)
        .map_err(|e| format!("{}: {e}", file.display()))
}

/// The autosave to offer when `path` is opened: left by a window that is no longer running.
pub fn for_path(config_dir: &Path, path: &Path) -> Result<Option<Recovery>, String> {
    let want = canonical(path);
    Ok(read(config_dir, &key_for_path(path))?
        .filter(|r| r.path.as_deref().map(canonical).as_ref() == Some(&want))
        .filter(|r| !r.is_owned_elsewhere()))
}

/// The untitled documents' autosaves left by windows that are no longer running, newest first (offered at
/// startup). Unreadable files are skipped.
pub fn untitled(config_dir: &Path) -> Vec<Recovery> {
    let Ok(entries) = std::fs::read_dir(config_dir.join(FOLDER)) else {
        return Vec::new();
    };
    let mut out: Vec<Recovery> = entries
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let key = name.strip_suffix(".json")?;
            key.starts_with("untitled-").then(|| key.to_owned())
        })
        .filter_map(|key| read(config_dir, &key).ok().flatten())
        .filter(|r| !r.is_owned_elsewhere())
        .collect();
    out.sort_by(|a, b| b.written_ms.cmp(&a.written_ms).then(a.key.cmp(&b.key)));
    out
}

/// Removes the autosave stored under `key` (after a save, or when its work was discarded or restored).
pub fn clear(config_dir: &Path, key: &str) {
    let _ = std::fs::remove_file(file_of(config_dir, key));
}

/// Moves the single recovery file of earlier versions (`recovery.asl.json` + `recovery.path`) to its
/// per-document place, so it is offered like the others.
pub fn migrate_legacy(config_dir: &Path) {
    let text_file = config_dir.join("recovery.asl.json");
    let meta_file = config_dir.join("recovery.path");
    let Ok(text) = std::fs::read_to_string(&text_file) else {
        return;
    };
    let path = std::fs::read_to_string(&meta_file)
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .map(PathBuf::from);
    let key = path.as_deref().map_or_else(untitled_key, key_for_path);
    let format = path
        .as_deref()
        .map_or(SourceFormat::Json, SourceFormat::from_path);
    let mut r = Recovery::new(key, path, format, text);
    r.writer = None;
    if write(config_dir, &r).is_ok() {
        let _ = std::fs::remove_file(text_file);
        let _ = std::fs::remove_file(meta_file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("sw-recovery-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn one_file_per_document_and_every_spelling_of_a_path_shares_it() {
        let dir = temp("keys");
        let a = dir.join("a.asl.json");
        let b = dir.join("b.asl.json");
        std::fs::write(&a, "{}").unwrap();
        std::fs::write(&b, "{}").unwrap();
        let dotted = dir.join(".").join("a.asl.json");
        assert_eq!(key_for_path(&a), key_for_path(&dotted));
        assert_ne!(key_for_path(&a), key_for_path(&b));
        assert_ne!(untitled_key(), untitled_key());

        let ra = Recovery::new(
            key_for_path(&a),
            Some(a.clone()),
            SourceFormat::Json,
            "A".into(),
        );
        let rb = Recovery::new(
            key_for_path(&b),
            Some(b.clone()),
            SourceFormat::Json,
            "B".into(),
        );
        write(&dir, &ra).unwrap();
        write(&dir, &rb).unwrap();
        assert_eq!(for_path(&dir, &dotted).unwrap().unwrap().text, "A");
        assert_eq!(for_path(&dir, &b).unwrap().unwrap(), rb);
        clear(&dir, &ra.key);
        assert_eq!(for_path(&dir, &a).unwrap(), None);
        assert!(for_path(&dir, &b).unwrap().is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn untitled_recoveries_are_listed_newest_first_and_live_writers_keep_theirs() {
        let dir = temp("untitled");
        let mut old = Recovery::new(untitled_key(), None, SourceFormat::Json, "old".into());
        old.written_ms -= 1000;
        let new = Recovery::new(untitled_key(), None, SourceFormat::Yaml, "new".into());
        write(&dir, &old).unwrap();
        write(&dir, &new).unwrap();
        let texts: Vec<String> = untitled(&dir).into_iter().map(|r| r.text).collect();
        assert_eq!(texts, ["new", "old"]);

        // A file written by a process that still runs (our parent: the test runner's launcher, or init) is
        // that window's: not offered. One whose writer has exited is.
        #[cfg(target_os = "linux")]
        {
            let parent = std::os::unix::process::parent_id();
            let mut live = Recovery::new(untitled_key(), None, SourceFormat::Json, "live".into());
            live.writer = Some(Writer {
                pid: parent,
                started: process_start(parent),
            });
            assert!(live.is_owned_elsewhere());
            write(&dir, &live).unwrap();
            let mut child = std::process::Command::new("true").spawn().unwrap();
            let dead_pid = child.id();
            child.wait().unwrap();
            let mut dead = Recovery::new(untitled_key(), None, SourceFormat::Json, "dead".into());
            dead.writer = Some(Writer {
                pid: dead_pid,
                started: Some(1),
            });
            write(&dir, &dead).unwrap();
            let texts: Vec<String> = untitled(&dir).into_iter().map(|r| r.text).collect();
            assert!(texts.contains(&"dead".to_owned()), "{texts:?}");
            assert!(!texts.contains(&"live".to_owned()), "{texts:?}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_broken_file_is_an_error_that_names_it() {
        let dir = temp("broken");
        std::fs::create_dir_all(dir.join(FOLDER)).unwrap();
        std::fs::write(dir.join(FOLDER).join("doc-0.json"), "{\"text\": 3}").unwrap();
        let e = read(&dir, "doc-0").unwrap_err();
        assert!(e.contains("doc-0.json") && e.contains("\"text\""), "{e}");
        std::fs::write(dir.join(FOLDER).join("doc-0.json"), "{\n  oops").unwrap();
        let e = read(&dir, "doc-0").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unsaved_mock_edits_round_trip_and_records_without_them_still_load() {
        let dir = temp("mocks");
        let doc = dir.join("w.asl.json");
        std::fs::write(&doc, "{}").unwrap();
        let mocks = RecoveredMocks {
            path: Some(dir.join("w.mocks.json")),
            text: "{\"StateMachines\": {}}\n".into(),
        };
        let r = Recovery::new(
            key_for_path(&doc),
            Some(doc.clone()),
            SourceFormat::Yaml,
            "W".into(),
        )
        .with_mocks(Some(mocks.clone()));
        write(&dir, &r).unwrap();
        let back = for_path(&dir, &doc).unwrap().unwrap();
        assert_eq!(back, r);
        assert_eq!(back.mocks, Some(mocks));
        // Mocks that were not read from a file of their own (bundled, or made in the designer) have no path.
        let untitled = Recovery::new(untitled_key(), None, SourceFormat::Json, "U".into())
            .with_mocks(Some(RecoveredMocks {
                path: None,
                text: "M".into(),
            }));
        write(&dir, &untitled).unwrap();
        assert_eq!(read(&dir, &untitled.key).unwrap().unwrap(), untitled);

        // A record as earlier versions wrote it (no "mocks") loads, without mocks; none is written for it.
        let old = serde_json::json!({
            "statewright_recovery": 1,
            "path": doc.to_string_lossy(),
            "format": "json",
            "written_ms": 5,
            "pid": null,
            "pid_started": null,
            "text": "OLD",
        });
        std::fs::write(
            dir.join(FOLDER)
                .join(format!("{}.json", key_for_path(&doc))),
            old.to_string(),
        )
        .unwrap();
        let back = for_path(&dir, &doc).unwrap().unwrap();
        assert_eq!((back.text.as_str(), back.mocks), ("OLD", None));
        let plain = Recovery::new("doc-1".into(), None, SourceFormat::Json, "P".into());
        assert!(plain.to_json().get("mocks").is_none());

        // Broken mocks are an error naming the file and the field.
        let mut bad = old;
        bad["mocks"] = serde_json::json!({ "text": 7 });
        std::fs::write(dir.join(FOLDER).join("doc-2.json"), bad.to_string()).unwrap();
        let e = read(&dir, "doc-2").unwrap_err();
        assert!(
            e.contains("doc-2.json") && e.contains("\"mocks.text\""),
            "{e}"
        );
        bad["mocks"] = serde_json::json!({ "text": "M", "path": 1 });
        std::fs::write(dir.join(FOLDER).join("doc-2.json"), bad.to_string()).unwrap();
        let e = read(&dir, "doc-2").unwrap_err();
        assert!(e.contains("\"mocks.path\""), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_old_single_recovery_file_is_moved_to_its_document() {
        let dir = temp("legacy");
        let doc = dir.join("w.asl.json");
        std::fs::write(&doc, "{}").unwrap();
        std::fs::write(dir.join("recovery.asl.json"), "TEXT").unwrap();
        std::fs::write(dir.join("recovery.path"), doc.display().to_string()).unwrap();
        migrate_legacy(&dir);
        assert!(!dir.join("recovery.asl.json").exists());
        assert_eq!(for_path(&dir, &doc).unwrap().unwrap().text, "TEXT");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

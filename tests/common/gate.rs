//! The harness of the corpus suites (test targets with `harness = false`, built on `libtest-mimic`).
//!
//! - One named test per corpus file or record, so a regression shows by name, not as a changed count.
//! - Without the corpus (`$STATEWRIGHT_SHARED`, else `../shared` beside the project), each corpus group shows
//!   as one *ignored* test with the reason [`MISSING`] in the summary; with `STATEWRIGHT_REQUIRE_CORPUS=1`
//!   (set by `.ci/run`) the same tests fail instead.
//! - Expected failures are listed by name, each with a reason, in `tests/expected-failures/<suite>.txt`
//!   (`name  # reason`). A listed case that fails passes as `[xfail]`; a listed case that passes fails
//!   ("now passes: remove it from the list"); a listed name that is not a test fails the list's own test.

use libtest_mimic::{Arguments, Completion, Failed, Trial};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The reason shown for a corpus test when the corpus is absent.
pub const MISSING: &str = "needs ../shared: set STATEWRIGHT_SHARED";

/// One check: `Err` carries the failure message.
pub type Check = Box<dyn FnOnce() -> Result<(), String> + Send>;

/// A named check.
pub struct Case {
    pub name: String,
    pub check: Check,
}

impl Case {
    pub fn new(
        name: impl Into<String>,
        check: impl FnOnce() -> Result<(), String> + Send + 'static,
    ) -> Self {
        Case {
            name: name.into(),
            check: Box::new(check),
        }
    }
}

/// Builds a group's cases from the corpus directory.
pub type Build = Box<dyn FnOnce(&Path) -> Vec<Case>>;

/// A group of cases built from one part of the corpus; `name` is the placeholder test's name when the
/// corpus is absent.
pub struct Group {
    pub name: &'static str,
    pub build: Build,
}

impl Group {
    pub fn new(name: &'static str, build: impl FnOnce(&Path) -> Vec<Case> + 'static) -> Self {
        Group {
            name,
            build: Box::new(build),
        }
    }
}

/// The corpus directory: `$STATEWRIGHT_SHARED` when set, else `../shared` beside the project; `None` when
/// that is not a directory.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("STATEWRIGHT_SHARED") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    };
    dir.is_dir().then_some(dir)
}

/// Whether a missing corpus is an error (`STATEWRIGHT_REQUIRE_CORPUS=1`).
pub fn corpus_required() -> bool {
    std::env::var("STATEWRIGHT_REQUIRE_CORPUS").is_ok_and(|v| v == "1")
}

/// Where a suite's expected failures are listed.
pub fn expected_failures_path(suite: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected-failures")
        .join(format!("{suite}.txt"))
}

/// Reads `name  # reason` lines; blank lines and lines starting with `#` are comments. Every entry needs a
/// reason, and a name may be listed once.
pub fn parse_expected(text: &str, origin: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, reason)) = line.split_once(" #") else {
            return Err(format!("{origin}:{}: `{line}` has no `# reason`", i + 1));
        };
        let (name, reason) = (name.trim(), reason.trim());
        if reason.is_empty() {
            return Err(format!("{origin}:{}: `{name}` has an empty reason", i + 1));
        }
        if out.insert(name.to_owned(), reason.to_owned()).is_some() {
            return Err(format!("{origin}:{}: `{name}` is listed twice", i + 1));
        }
    }
    Ok(out)
}

/// Runs one check, turning a panic into a failure message.
fn run_check(check: Check) -> Result<(), String> {
    match catch_unwind(AssertUnwindSafe(check)) {
        Ok(r) => r,
        Err(p) => Err(p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "panicked".into())),
    }
}

/// The verdict on a case given its listing: `Ok` when the result is what the list expects.
pub fn judge(result: Result<(), String>, listed: Option<&str>, list: &str) -> Result<(), String> {
    match (result, listed) {
        (Ok(()), None) | (Err(_), Some(_)) => Ok(()),
        (Err(e), None) => Err(e),
        (Ok(()), Some(reason)) => Err(format!(
            "now passes: remove it from the list {list} (it was listed as: {reason})"
        )),
    }
}

/// Runs the suite: `plain` cases always, the groups' cases when the corpus is present.
pub fn main(suite: &str, plain: Vec<Case>, groups: Vec<Group>) -> ExitCode {
    let args = Arguments::from_args();
    let list_path = expected_failures_path(suite);
    let list_name = format!("tests/expected-failures/{suite}.txt");
    let expected = match std::fs::read_to_string(&list_path) {
        Ok(text) => parse_expected(&text, &list_name),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(format!("{list_name}: {e}")),
    };
    let mut trials = Vec::new();
    let mut names = BTreeSet::new();
    let expected = match expected {
        Ok(e) => e,
        Err(e) => {
            trials.push(Trial::test("expected-failures-list", move || Err(e.into())));
            BTreeMap::new()
        }
    };
    let corpus = corpus_dir();
    let mut cases = plain;
    let corpus_present = corpus.is_some();
    for group in groups {
        match &corpus {
            Some(dir) => {
                let built = (group.build)(dir);
                if built.is_empty() {
                    let msg = format!("no cases found for {} under {}", group.name, dir.display());
                    trials.push(Trial::test(group.name, move || Err(msg.into())));
                }
                cases.extend(built);
            }
            None if corpus_required() => trials.push(Trial::test(group.name, || {
                Err(format!(
                    "STATEWRIGHT_REQUIRE_CORPUS=1 but the corpus is missing ({MISSING}, or clone it beside the project as ../shared)"
                )
                .into())
            })),
            None => trials.push(Trial::ignorable_test(group.name, || {
                Ok(Completion::ignored_with(MISSING))
            })),
        }
    }
    for case in cases {
        assert!(
            names.insert(case.name.clone()),
            "two tests named {}",
            case.name
        );
        let listed = expected.get(&case.name).cloned();
        let kind = if listed.is_some() { "xfail" } else { "" };
        let list_name = list_name.clone();
        let check = case.check;
        trials.push(
            Trial::test(case.name, move || {
                judge(run_check(check), listed.as_deref(), &list_name).map_err(Failed::from)
            })
            .with_kind(kind),
        );
    }
    if corpus_present && !expected.is_empty() {
        let stale: Vec<String> = expected
            .keys()
            .filter(|n| !names.contains(*n))
            .cloned()
            .collect();
        trials.push(Trial::test("expected-failures-list", move || {
            if stale.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "{list_name} lists names that are not tests (renamed or removed?):\n{}",
                    stale.join("\n")
                )
                .into())
            }
        }));
    }
    libtest_mimic::run(&args, trials).exit_code()
}

/// `path` relative to `base`, with `/` separators, for test names.
pub fn rel_name(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

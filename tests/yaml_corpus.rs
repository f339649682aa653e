//! YAML in, YAML out over the corpus, one named test per file (see `tests/common/gate.rs`): every YAML state
//! machine definition saves back as YAML (unedited byte-identical; each edit changes only its state's lines),
//! every YAML template reads and saves back unchanged, and every JSON workflow converts to YAML and back
//! without changing the model.

mod common;

#[path = "common/yaml_checks.rs"]
mod yaml_checks;

use common::gate::{self, Case, Group};
use statewright::asl::{Document, SourceFormat};
use statewright::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Whether a YAML file's top level is a state machine (`StartAt` and `States`), not a template.
fn is_yaml_workflow(p: &Path) -> bool {
    SourceFormat::from_path(p) == SourceFormat::Yaml
        && std::fs::read_to_string(p)
            .ok()
            .and_then(|t| json::parse_yaml(&t).ok())
            .is_some_and(|j| j.get("StartAt").is_some() && j.get("States").is_some())
}

fn template_reads_back(p: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(p).map_err(|e| e.to_string())?;
    let doc = Document::parse(&text, SourceFormat::Yaml).map_err(|e| e.to_string())?;
    (doc.to_text() == text)
        .then_some(())
        .ok_or_else(|| "unedited save changed the text".into())
}

fn converts_to_yaml_and_back(p: &Path) -> Result<(), String> {
    let bytes = std::fs::read(p).map_err(|e| e.to_string())?;
    let doc =
        Document::from_bytes(&bytes, SourceFormat::from_path(p)).map_err(|e| e.to_string())?;
    yaml_checks::check_conversion(&doc)
}

/// A group of one named test per file under `sub` that `keep` selects, each checked by `check`.
fn group(
    prefix: &'static str,
    sub: &'static str,
    keep: fn(&Path) -> bool,
    check: fn(&Path) -> Result<(), String>,
) -> Group {
    Group::new(prefix, move |shared| {
        let dir = shared.join(sub);
        let files: Vec<PathBuf> = common::asl_files(&dir)
            .into_iter()
            .filter(|p| keep(p))
            .collect();
        files
            .into_iter()
            .map(|f| {
                let name = format!("{prefix}::{}", gate::rel_name(&f, &dir));
                Case::new(name, move || check(&f))
            })
            .collect()
    })
}

fn main() -> ExitCode {
    let is_yaml = |p: &Path| SourceFormat::from_path(p) == SourceFormat::Yaml;
    gate::main(
        "yaml_corpus",
        Vec::new(),
        vec![
            group(
                "yaml-workflows",
                "corpus",
                is_yaml_workflow,
                yaml_checks::check_yaml_workflow,
            ),
            group(
                "yaml-templates",
                "corpus/templates",
                is_yaml,
                template_reads_back,
            ),
            group(
                "to-yaml::real-world",
                "corpus/real-world",
                |_| true,
                converts_to_yaml_and_back,
            ),
            group(
                "to-yaml::seed",
                "seed-workflows",
                |_| true,
                converts_to_yaml_and_back,
            ),
        ],
    )
}

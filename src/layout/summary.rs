//! One-line summaries of states and edge-label text, shared by the layout (sizes) and the renderers.

use crate::asl::{NumberOrExpr, State, StateType};

/// Longest label drawn on an edge; longer ones end with `…`.
pub const LABEL_MAX_CHARS: usize = 34;
/// Height of a label box.
pub const LABEL_H: f32 = 16.0;

/// `text` cut to `max` characters, ending with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The text drawn for an edge label.
pub fn label_text(label: &str) -> String {
    truncate(label, LABEL_MAX_CHARS)
}

/// The short name of a Task resource: `arn:aws:states:::glue:startJobRun.sync` → `glue:startJobRun.sync`,
/// `arn:aws:states:::aws-sdk:glue:getCrawler` → `glue:getCrawler`,
/// `arn:aws:lambda:us-east-1:123456789012:function:Fn` → `lambda:Fn`.
pub fn resource_short_name(resource: &str) -> String {
    if let Some(rest) = resource.strip_prefix("arn:aws:states:::") {
        return rest.strip_prefix("aws-sdk:").unwrap_or(rest).to_owned();
    }
    if let Some(rest) = resource.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.split(':').collect();
        // partition:service:region:account:resource-type:name...
        if let [_, service, _, _, tail @ ..] = parts.as_slice() {
            let name = match tail {
                [kind, name, ..] if matches!(*kind, "function" | "activity" | "stateMachine") => {
                    *name
                }
                [.., last] => *last,
                [] => "",
            };
            return format!("{service}:{name}");
        }
    }
    resource.to_owned()
}

fn number_text(n: &NumberOrExpr) -> String {
    match n {
        NumberOrExpr::Number(n) => n.as_str().to_owned(),
        NumberOrExpr::Expr(e) => e.as_str().to_owned(),
    }
}

/// A one-line description of what a state does: `glue:startJobRun.sync`, `Wait 30s`, `2 rules + Default`.
pub fn state_summary(state: &State) -> String {
    let Some(ty) = state.state_type() else {
        return state
            .type_
            .as_deref()
            .map_or_else(|| "no Type".to_owned(), |t| format!("unknown Type {t}"));
    };
    match ty {
        StateType::Task => state
            .resource
            .as_deref()
            .map(resource_short_name)
            .unwrap_or_default(),
        StateType::Choice => {
            let n = state.choices.as_ref().map_or(0, Vec::len);
            let rules = if n == 1 {
                "1 rule".to_owned()
            } else {
                format!("{n} rules")
            };
            if state.default.is_some() {
                format!("{rules} + Default")
            } else {
                rules
            }
        }
        StateType::Wait => {
            if let Some(s) = &state.seconds {
                format!("Wait {}s", number_text(s))
            } else if let Some(p) = &state.seconds_path {
                format!("Wait {p}")
            } else if let Some(t) = &state.timestamp {
                format!("Until {t}")
            } else if let Some(p) = &state.timestamp_path {
                format!("Until {p}")
            } else {
                String::new()
            }
        }
        StateType::Pass => {
            if state.result.is_some() {
                "Result".to_owned()
            } else if let Some(p) = state.result_path.as_ref().and_then(|p| p.value()) {
                format!("Into {p}")
            } else {
                String::new()
            }
        }
        StateType::Succeed => String::new(),
        StateType::Fail => state
            .error
            .as_deref()
            .or(state.error_path.as_deref())
            .map(str::to_owned)
            .unwrap_or_default(),
        StateType::Parallel => {
            let n = state.branches.as_ref().map_or(0, Vec::len);
            if n == 1 {
                "1 branch".to_owned()
            } else {
                format!("{n} branches")
            }
        }
        StateType::Map => {
            let mode = state
                .processor()
                .and_then(|p| p.processor_config.as_ref())
                .and_then(|c| c.mode.as_deref())
                .filter(|m| *m == "DISTRIBUTED")
                .map_or("", |_| "distributed ");
            let items = state
                .items_path
                .as_ref()
                .and_then(|p| p.value())
                .map(|p| p.as_str().to_owned());
            match items {
                Some(p) => format!("{mode}each of {p}"),
                None => format!("{mode}each item").trim_start().to_owned(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names() {
        assert_eq!(
            resource_short_name("arn:aws:states:::glue:startJobRun.sync"),
            "glue:startJobRun.sync"
        );
        assert_eq!(
            resource_short_name("arn:aws:states:::aws-sdk:glue:getCrawler"),
            "glue:getCrawler"
        );
        assert_eq!(
            resource_short_name("arn:aws:states:::lambda:invoke"),
            "lambda:invoke"
        );
        assert_eq!(
            resource_short_name("arn:aws:lambda:us-east-1:123456789012:function:Fn"),
            "lambda:Fn"
        );
        assert_eq!(resource_short_name("${Arn}"), "${Arn}");
    }

    #[test]
    fn truncation() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}

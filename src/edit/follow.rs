//! Telling what an edit did to the states' names, for what is kept by state name outside the document
//! (breakpoints, the test cases of the mock file) and follows its edits, undo and redo included, by comparing
//! the names before and after a change of [`Editor::machine_version`](super::Editor::machine_version).

use crate::asl::StateMachine;
use std::collections::HashSet;

/// Every state name of `machine`, nested machines (Parallel branches, Map processors) included.
pub fn state_names(machine: &StateMachine) -> HashSet<String> {
    machine
        .all_state_names()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// The state renamed between two versions of a machine, told by the names each has: `(old, new)` when
/// exactly one name is gone and exactly one is new, whatever else changed (a rename in the inspector, in the
/// code view, or its undo). Any other change of names (states only added or only deleted, several at once)
/// is no rename.
pub fn renamed_state<'a>(
    before: &'a HashSet<String>,
    after: &'a HashSet<String>,
) -> Option<(&'a str, &'a str)> {
    let mut gone = before.difference(after);
    let mut added = after.difference(before);
    match (gone.next(), gone.next(), added.next(), added.next()) {
        (Some(from), None, Some(to), None) => Some((from.as_str(), to.as_str())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> HashSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_name_gone_and_one_new_is_a_rename() {
        let a = set(&["A", "B", "C"]);
        assert_eq!(renamed_state(&a, &set(&["A", "X", "C"])), Some(("B", "X")));
        assert_eq!(renamed_state(&set(&["A", "X", "C"]), &a), Some(("X", "B")));
        assert_eq!(renamed_state(&a, &a), None);
        assert_eq!(renamed_state(&a, &set(&["A", "C"])), None, "a delete");
        assert_eq!(
            renamed_state(&a, &set(&["A", "B", "C", "D"])),
            None,
            "an add"
        );
        assert_eq!(
            renamed_state(&a, &set(&["A", "X", "Y"])),
            None,
            "two renames"
        );
    }
}

//! Choice rules: comparisons, `And`/`Or`/`Not`, and JSONata `Condition`.

use super::field::asl_object;
use crate::json::{JStr, Json};

/// What a comparison operator compares its variable with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    String,
    Number,
    Boolean,
    Timestamp,
    /// A reference path to the value to compare with (the `…Path` forms).
    Path,
    /// `Is*` tests take `true` or `false`.
    Test,
}

macro_rules! operators {
    ($( $variant:ident = $name:literal : $operand:ident, )*) => {
        /// Every comparison operator of the Choice state.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Operator { $( $variant, )* }

        impl Operator {
            pub const ALL: &'static [Operator] = &[$( Operator::$variant, )*];

            /// The spec's name, which is also the JSON key.
            pub fn name(self) -> &'static str {
                match self { $( Operator::$variant => $name, )* }
            }

            pub fn operand(self) -> Operand {
                match self { $( Operator::$variant => Operand::$operand, )* }
            }

            pub fn from_name(name: &str) -> Option<Operator> {
                match name { $( $name => Some(Operator::$variant), )* _ => None }
            }
        }
    };
}

operators! {
    StringEquals = "StringEquals": String,
    StringEqualsPath = "StringEqualsPath": Path,
    StringLessThan = "StringLessThan": String,
    StringLessThanPath = "StringLessThanPath": Path,
    StringGreaterThan = "StringGreaterThan": String,
    StringGreaterThanPath = "StringGreaterThanPath": Path,
    StringLessThanEquals = "StringLessThanEquals": String,
    StringLessThanEqualsPath = "StringLessThanEqualsPath": Path,
    StringGreaterThanEquals = "StringGreaterThanEquals": String,
    StringGreaterThanEqualsPath = "StringGreaterThanEqualsPath": Path,
    StringMatches = "StringMatches": String,
    NumericEquals = "NumericEquals": Number,
    NumericEqualsPath = "NumericEqualsPath": Path,
    NumericLessThan = "NumericLessThan": Number,
    NumericLessThanPath = "NumericLessThanPath": Path,
    NumericGreaterThan = "NumericGreaterThan": Number,
    NumericGreaterThanPath = "NumericGreaterThanPath": Path,
    NumericLessThanEquals = "NumericLessThanEquals": Number,
    NumericLessThanEqualsPath = "NumericLessThanEqualsPath": Path,
    NumericGreaterThanEquals = "NumericGreaterThanEquals": Number,
    NumericGreaterThanEqualsPath = "NumericGreaterThanEqualsPath": Path,
    BooleanEquals = "BooleanEquals": Boolean,
    BooleanEqualsPath = "BooleanEqualsPath": Path,
    TimestampEquals = "TimestampEquals": Timestamp,
    TimestampEqualsPath = "TimestampEqualsPath": Path,
    TimestampLessThan = "TimestampLessThan": Timestamp,
    TimestampLessThanPath = "TimestampLessThanPath": Path,
    TimestampGreaterThan = "TimestampGreaterThan": Timestamp,
    TimestampGreaterThanPath = "TimestampGreaterThanPath": Path,
    TimestampLessThanEquals = "TimestampLessThanEquals": Timestamp,
    TimestampLessThanEqualsPath = "TimestampLessThanEqualsPath": Path,
    TimestampGreaterThanEquals = "TimestampGreaterThanEquals": Timestamp,
    TimestampGreaterThanEqualsPath = "TimestampGreaterThanEqualsPath": Path,
    IsNull = "IsNull": Test,
    IsPresent = "IsPresent": Test,
    IsNumeric = "IsNumeric": Test,
    IsString = "IsString": Test,
    IsBoolean = "IsBoolean": Test,
    IsTimestamp = "IsTimestamp": Test,
}

impl Operator {
    /// A short symbol for diagrams (`==`, `<`, `matches`, `is null`, …).
    pub fn symbol(self) -> &'static str {
        let base = self.name().trim_end_matches("Path");
        if base.ends_with("GreaterThanEquals") {
            ">="
        } else if base.ends_with("LessThanEquals") {
            "<="
        } else if base.ends_with("GreaterThan") {
            ">"
        } else if base.ends_with("LessThan") {
            "<"
        } else if base.ends_with("Equals") {
            "=="
        } else {
            match self {
                Operator::StringMatches => "matches",
                Operator::IsNull => "is null",
                Operator::IsPresent => "is present",
                Operator::IsNumeric => "is numeric",
                Operator::IsString => "is string",
                Operator::IsBoolean => "is boolean",
                _ => "is timestamp",
            }
        }
    }
}

asl_object! {
    /// A Choice rule. A top-level rule has `Next`; rules inside `And`/`Or`/`Not` do not. A rule is either a
    /// comparison (`Variable` + one operator), a combination (`And`, `Or`, `Not`), or a JSONata `Condition`.
    pub struct ChoiceRule {
        // The comparison operators are boxed: a rule holds at most one of the forty, and unboxed they made every
        // rule about 1.9 KB.
        variable: JStr = "Variable",
        and: Vec<ChoiceRule> = "And",
        or: Vec<ChoiceRule> = "Or",
        not: Box<ChoiceRule> = "Not",
        condition: Json = "Condition",
        string_equals: Box<Json> = "StringEquals",
        string_equals_path: Box<Json> = "StringEqualsPath",
        string_less_than: Box<Json> = "StringLessThan",
        string_less_than_path: Box<Json> = "StringLessThanPath",
        string_greater_than: Box<Json> = "StringGreaterThan",
        string_greater_than_path: Box<Json> = "StringGreaterThanPath",
        string_less_than_equals: Box<Json> = "StringLessThanEquals",
        string_less_than_equals_path: Box<Json> = "StringLessThanEqualsPath",
        string_greater_than_equals: Box<Json> = "StringGreaterThanEquals",
        string_greater_than_equals_path: Box<Json> = "StringGreaterThanEqualsPath",
        string_matches: Box<Json> = "StringMatches",
        numeric_equals: Box<Json> = "NumericEquals",
        numeric_equals_path: Box<Json> = "NumericEqualsPath",
        numeric_less_than: Box<Json> = "NumericLessThan",
        numeric_less_than_path: Box<Json> = "NumericLessThanPath",
        numeric_greater_than: Box<Json> = "NumericGreaterThan",
        numeric_greater_than_path: Box<Json> = "NumericGreaterThanPath",
        numeric_less_than_equals: Box<Json> = "NumericLessThanEquals",
        numeric_less_than_equals_path: Box<Json> = "NumericLessThanEqualsPath",
        numeric_greater_than_equals: Box<Json> = "NumericGreaterThanEquals",
        numeric_greater_than_equals_path: Box<Json> = "NumericGreaterThanEqualsPath",
        boolean_equals: Box<Json> = "BooleanEquals",
        boolean_equals_path: Box<Json> = "BooleanEqualsPath",
        timestamp_equals: Box<Json> = "TimestampEquals",
        timestamp_equals_path: Box<Json> = "TimestampEqualsPath",
        timestamp_less_than: Box<Json> = "TimestampLessThan",
        timestamp_less_than_path: Box<Json> = "TimestampLessThanPath",
        timestamp_greater_than: Box<Json> = "TimestampGreaterThan",
        timestamp_greater_than_path: Box<Json> = "TimestampGreaterThanPath",
        timestamp_less_than_equals: Box<Json> = "TimestampLessThanEquals",
        timestamp_less_than_equals_path: Box<Json> = "TimestampLessThanEqualsPath",
        timestamp_greater_than_equals: Box<Json> = "TimestampGreaterThanEquals",
        timestamp_greater_than_equals_path: Box<Json> = "TimestampGreaterThanEqualsPath",
        is_null: Box<Json> = "IsNull",
        is_present: Box<Json> = "IsPresent",
        is_numeric: Box<Json> = "IsNumeric",
        is_string: Box<Json> = "IsString",
        is_boolean: Box<Json> = "IsBoolean",
        is_timestamp: Box<Json> = "IsTimestamp",
        next: JStr = "Next",
        comment: JStr = "Comment",
        assign: Json = "Assign",
        output: Json = "Output",
    }
}

/// The shape of a rule.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleKind<'a> {
    Comparison {
        variable: Option<&'a str>,
        operator: Operator,
        value: Json,
    },
    And(&'a [ChoiceRule]),
    Or(&'a [ChoiceRule]),
    Not(&'a ChoiceRule),
    Condition(&'a Json),
    /// No operator, combinator or condition.
    Empty,
}

impl ChoiceRule {
    /// The comparison operators present in this rule (a valid rule has at most one).
    pub fn operators(&self) -> Vec<(Operator, Json)> {
        Operator::ALL
            .iter()
            .filter_map(|op| self.field_json(op.name()).map(|v| (*op, v)))
            .collect()
    }

    pub fn kind(&self) -> RuleKind<'_> {
        if let Some(and) = &self.and {
            return RuleKind::And(and);
        }
        if let Some(or) = &self.or {
            return RuleKind::Or(or);
        }
        if let Some(not) = &self.not {
            return RuleKind::Not(not);
        }
        if let Some(c) = &self.condition {
            return RuleKind::Condition(c);
        }
        match self.operators().into_iter().next() {
            Some((operator, value)) => RuleKind::Comparison {
                variable: self.variable.as_deref(),
                operator,
                value,
            },
            None => RuleKind::Empty,
        }
    }

    /// A short human-readable summary, for edge labels: `$.Crawler.State == "RUNNING"`.
    pub fn summary(&self) -> String {
        self.summary_depth(0)
    }

    fn summary_depth(&self, depth: usize) -> String {
        if depth > 8 {
            return "…".into();
        }
        let join = |rules: &[ChoiceRule], sep: &str| {
            let parts: Vec<String> = rules.iter().map(|r| r.summary_depth(depth + 1)).collect();
            format!("({})", parts.join(sep))
        };
        match self.kind() {
            RuleKind::Comparison {
                variable,
                operator,
                value,
            } => {
                let var = variable.unwrap_or("?");
                let val = match (operator.operand(), value.as_bool()) {
                    (Operand::Test, Some(true)) => String::new(),
                    (Operand::Test, Some(false)) => " = false".into(),
                    _ => format!(" {}", crate::json::compact_text(&value)),
                };
                format!("{var} {}{val}", operator.symbol())
            }
            RuleKind::And(rules) => join(rules, " && "),
            RuleKind::Or(rules) => join(rules, " || "),
            RuleKind::Not(rule) => format!("!{}", rule.summary_depth(depth + 1)),
            RuleKind::Condition(c) => c.as_str().map_or_else(|| "condition".into(), str::to_owned),
            RuleKind::Empty => "(empty rule)".into(),
        }
    }
}

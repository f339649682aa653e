//! How model fields convert to and from the lossless JSON tree, and the macro that declares ASL objects.

use crate::json::{JStr, Json, Member, Number, Value};

/// A value a model field can hold. `from_json` returns `None` when the JSON has the wrong shape; the
/// member is then kept verbatim among the object's unknown members, so nothing is ever lost.
pub trait FieldValue: Sized {
    fn from_json(json: &Json) -> Option<Self>;
    fn to_json(&self) -> Json;
}

impl FieldValue for Json {
    fn from_json(json: &Json) -> Option<Self> {
        Some(json.clone())
    }
    fn to_json(&self) -> Json {
        self.clone()
    }
}

impl FieldValue for JStr {
    fn from_json(json: &Json) -> Option<Self> {
        json.as_jstr().cloned()
    }
    fn to_json(&self) -> Json {
        Json::string(self.clone())
    }
}

impl FieldValue for Number {
    fn from_json(json: &Json) -> Option<Self> {
        json.as_number().cloned()
    }
    fn to_json(&self) -> Json {
        Json::number(self.clone())
    }
}

impl FieldValue for bool {
    fn from_json(json: &Json) -> Option<Self> {
        json.as_bool()
    }
    fn to_json(&self) -> Json {
        Value::Bool(*self).into()
    }
}

impl<T: FieldValue> FieldValue for Vec<T> {
    fn from_json(json: &Json) -> Option<Self> {
        // Sized up front: collecting into `Option<Vec<_>>` has no size hint, and a vector grown from empty holds
        // room for four items, which for one Choice rule, retrier or catcher (the usual case) wastes three.
        let items = json.as_array()?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(T::from_json(item)?);
        }
        Some(out)
    }
    fn to_json(&self) -> Json {
        Json::array(self.iter().map(T::to_json).collect())
    }
}

impl<T: FieldValue> FieldValue for Box<T> {
    fn from_json(json: &Json) -> Option<Self> {
        T::from_json(json).map(Box::new)
    }
    fn to_json(&self) -> Json {
        (**self).to_json()
    }
}

/// A field where JSON `null` means something different from leaving the field out (`ResultPath: null`
/// discards the result; `InputPath: null` passes `{}`).
#[derive(Clone, Debug, PartialEq)]
pub enum Nullable<T> {
    Null,
    Value(T),
}

impl<T> Nullable<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Null => None,
            Nullable::Value(v) => Some(v),
        }
    }
}

impl<T: FieldValue> FieldValue for Nullable<T> {
    fn from_json(json: &Json) -> Option<Self> {
        if json.is_null() {
            Some(Nullable::Null)
        } else {
            T::from_json(json).map(Nullable::Value)
        }
    }
    fn to_json(&self) -> Json {
        match self {
            Nullable::Null => Json::null(),
            Nullable::Value(v) => v.to_json(),
        }
    }
}

/// A number, or in JSONata mode a `{% expression %}` string (`Seconds`, `TimeoutSeconds`, `MaxConcurrency`, …).
#[derive(Clone, Debug, PartialEq)]
pub enum NumberOrExpr {
    Number(Number),
    Expr(JStr),
}

impl FieldValue for NumberOrExpr {
    fn from_json(json: &Json) -> Option<Self> {
        match &json.value {
            Value::Number(n) => Some(NumberOrExpr::Number(n.clone())),
            Value::String(s) => Some(NumberOrExpr::Expr(s.clone())),
            _ => None,
        }
    }
    fn to_json(&self) -> Json {
        match self {
            NumberOrExpr::Number(n) => Json::number(n.clone()),
            NumberOrExpr::Expr(s) => Json::string(s.clone()),
        }
    }
}

impl NumberOrExpr {
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            NumberOrExpr::Number(n) => Some(n),
            NumberOrExpr::Expr(_) => None,
        }
    }
}

/// Splits an object's members into the known fields and the rest. Shared by every [`asl_object!`] type.
///
/// `assign(key, value)` tries to store a known field and reports whether it took it. A key is offered to
/// `assign` only at its first occurrence and only when written without escapes; everything else goes to
/// `extra`. Returns `(extra, key_order)`.
pub(crate) fn split_members(
    members: &[Member],
    mut assign: impl FnMut(&str, &Json) -> bool,
) -> (Vec<Member>, Vec<JStr>) {
    let mut extra = Vec::new();
    let mut order = Vec::with_capacity(members.len());
    for (i, m) in members.iter().enumerate() {
        let key = m.key.as_str();
        order.push(m.key.clone());
        let first = !members[..i].iter().any(|o| o.key.as_str() == key);
        let plain = m.key.raw_text() == key;
        if !(first && plain && assign(key, &m.value)) {
            extra.push(m.clone());
        }
    }
    (extra, order)
}

/// Writes an object back: members in their recorded order, then new known fields in declaration order,
/// then new unknown members.
pub(crate) fn join_members(
    keys: &[&'static str],
    known: Vec<Option<Json>>,
    extra: &[Member],
    key_order: &[JStr],
) -> Json {
    let mut known: Vec<Option<Json>> = known;
    let mut extra_used = vec![false; extra.len()];
    let mut out = Vec::with_capacity(key_order.len() + 2);
    for key in key_order {
        if let Some(i) = keys.iter().position(|k| *k == key.as_str())
            && let Some(v) = known[i].take()
        {
            out.push(Member::new(keys[i], v));
            continue;
        }
        if let Some(j) =
            (0..extra.len()).find(|&j| !extra_used[j] && extra[j].key.as_str() == key.as_str())
        {
            extra_used[j] = true;
            out.push(extra[j].clone());
        }
    }
    for (i, v) in known.into_iter().enumerate() {
        if let Some(v) = v {
            out.push(Member::new(keys[i], v));
        }
    }
    for (j, m) in extra.iter().enumerate() {
        if !extra_used[j] {
            out.push(m.clone());
        }
    }
    Json::object(out)
}

/// Declares an ASL object type: one `Option` field per spec key, plus `extra` (members the model does
/// not know, or whose value has the wrong type, kept verbatim) and `key_order` (for lossless writing).
macro_rules! asl_object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $key:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: Option<$ty>, )*
            /// Members the model does not know, or whose value has the wrong type, kept verbatim.
            pub extra: Vec<$crate::json::Member>,
            /// The keys as they were read, in order (duplicates included), for lossless writing.
            pub key_order: Vec<$crate::json::JStr>,
        }

        impl $name {
            /// The spec's names of the known fields, in the order new fields are written.
            pub const KEYS: &'static [&'static str] = &[$($key),*];

            /// Reads the object; `None` if `json` is not an object.
            pub fn from_json(json: &$crate::json::Json) -> Option<Self> {
                let members = json.as_object()?;
                let mut s = Self::default();
                let (extra, key_order) = $crate::asl::field::split_members(members, |key, value| {
                    s.set_field_json(key, value)
                });
                s.extra = extra;
                s.key_order = key_order;
                Some(s)
            }

            /// Writes the object in its recorded key order.
            pub fn to_json(&self) -> $crate::json::Json {
                let known = vec![$( self.$field.as_ref().map($crate::asl::field::FieldValue::to_json) ),*];
                $crate::asl::field::join_members(Self::KEYS, known, &self.extra, &self.key_order)
            }

            /// The JSON of a known field, by its spec name.
            pub fn field_json(&self, key: &str) -> Option<$crate::json::Json> {
                match key {
                    $( $key => self.$field.as_ref().map($crate::asl::field::FieldValue::to_json), )*
                    _ => None,
                }
            }

            /// Sets a known field from JSON. Returns `false` (and changes nothing) for an unknown key or a
            /// value of the wrong shape.
            pub fn set_field_json(&mut self, key: &str, value: &$crate::json::Json) -> bool {
                match key {
                    $( $key => match $crate::asl::field::FieldValue::from_json(value) {
                        Some(v) => { self.$field = Some(v); true }
                        None => false,
                    }, )*
                    _ => false,
                }
            }

            /// Removes a known field. Returns whether it was set.
            pub fn clear_field(&mut self, key: &str) -> bool {
                match key {
                    $( $key => self.$field.take().is_some(), )*
                    _ => false,
                }
            }
        }

        impl $crate::asl::field::FieldValue for $name {
            fn from_json(json: &$crate::json::Json) -> Option<Self> {
                $name::from_json(json)
            }
            fn to_json(&self) -> $crate::json::Json {
                $name::to_json(self)
            }
        }
    };
}

pub(crate) use asl_object;

//! Short identifier newtypes (`CategoryCode`, `AreaCode`, `UnitCode`): 1–64 characters of
//! ASCII letters, digits, `_`, `-` and `.`. Parsed once at the edge.

/// Declares a code newtype with `parse`, `as_str`, `Display`, serde and OpenAPI support.
macro_rules! code_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(try_from = "String", into = "String")]
        #[schema(value_type = String)]
        pub struct $name(String);

        impl $name {
            /// Parses a code; the error names `field`.
            pub fn parse(s: &str, field: &str) -> Result<Self, $crate::domain::ValidationErrors> {
                $crate::domain::code::check(s, field).map(|_| Self(s.to_owned()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                $crate::domain::code::check(&s, stringify!($name)).map_err(|e| e.to_string())?;
                Ok(Self(s))
            }
        }
        impl From<$name> for String {
            fn from(c: $name) -> String {
                c.0
            }
        }
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}
pub(crate) use code_newtype;

pub(crate) fn check(s: &str, field: &str) -> Result<(), super::ValidationErrors> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(super::ValidationErrors::single(field, "must be 1-64 characters of letters, digits, '_', '-' or '.'"))
    }
}

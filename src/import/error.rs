//! Import errors: [`ImportError`] when the file as a whole can't be read, [`FeatureError`] for one
//! feature that is skipped while the others are imported.

use std::fmt;

use super::geometry::GeometryError;

/// The file as a whole is unusable; nothing is imported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// Not JSON. `line` and `column` are 1-based, as editors count.
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Json { line: usize, column: usize, message: String },
    /// JSON, but not a GeoJSON FeatureCollection.
    #[error("not a GeoJSON FeatureCollection: {0}")]
    NotFeatureCollection(String),
    /// The import options can't work (e.g. an empty level name).
    #[error("invalid import option: {0}")]
    Options(String),
}

/// One feature that was not imported, and why.
///
/// Displays as `feature #12 (code 490101 "Hải Châu"): invalid geometry: ring 0 is not closed`.
/// `index` is the feature's 0-based position in the `features` array (as in `jq '.features[12]'`).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureError {
    pub index: usize,
    /// The feature's code as read (with the code prefix), when it has one.
    pub code: Option<String>,
    /// The feature's name as read, when it has one.
    pub name: Option<String>,
    pub problem: FeatureProblem,
}

impl FeatureError {
    /// The property the problem is about, if it is about one.
    pub fn field(&self) -> Option<&str> {
        match &self.problem {
            FeatureProblem::MissingField { field }
            | FeatureProblem::EmptyField { field }
            | FeatureProblem::NotText { field, .. }
            | FeatureProblem::InvalidCode { field, .. }
            | FeatureProblem::OwnParent { field }
            | FeatureProblem::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl fmt::Display for FeatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "feature #{}", self.index)?;
        match (&self.code, &self.name) {
            (Some(code), Some(name)) => write!(f, " (code {code} \"{name}\")")?,
            (Some(code), None) => write!(f, " (code {code})")?,
            (None, Some(name)) => write!(f, " (\"{name}\")")?,
            (None, None) => {}
        }
        write!(f, ": {}", self.problem)
    }
}

impl std::error::Error for FeatureError {}

/// Why a feature was skipped.
#[derive(Debug, Clone, PartialEq)]
pub enum FeatureProblem {
    /// The entry of `features` is not a JSON object with `"type": "Feature"`.
    NotAFeature,
    /// The feature has no such property (or it is `null`).
    MissingField { field: String },
    /// The property is an empty (or blank) string.
    EmptyField { field: String },
    /// The property is a boolean, array or object; codes and names must be strings or numbers.
    NotText { field: String, found: &'static str },
    /// The property is not a valid area code.
    InvalidCode { field: String, value: String },
    /// The parent code equals the feature's own code.
    OwnParent { field: String },
    /// `geometry` is missing or `null`.
    MissingGeometry,
    /// `geometry` is present but not a usable boundary.
    Geometry(GeometryError),
    /// An earlier feature of the file has the same code; the earlier one owns it.
    DuplicateCode { code: String, first_index: usize },
    /// The property's value is not acceptable (e.g. an unknown land use, a height of -3 m).
    Invalid { field: String, message: String },
}

impl fmt::Display for FeatureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAFeature => write!(f, "not a GeoJSON Feature object"),
            Self::MissingField { field } => write!(f, "missing property \"{field}\""),
            Self::EmptyField { field } => write!(f, "property \"{field}\" is empty"),
            Self::NotText { field, found } => {
                write!(f, "property \"{field}\" must be a string or a number, not {found}")
            }
            Self::InvalidCode { field, value } => write!(
                f,
                "property \"{field}\" = \"{value}\" is not a valid area code (1-64 letters, digits, '_', '-' or '.')"
            ),
            Self::OwnParent { field } => write!(f, "property \"{field}\" names the area as its own parent"),
            Self::MissingGeometry => write!(f, "missing geometry"),
            Self::Geometry(e @ GeometryError::WrongType(_)) => write!(f, "wrong geometry type: {e}"),
            Self::Geometry(e) => write!(f, "invalid geometry: {e}"),
            Self::DuplicateCode { code, first_index } => {
                write!(f, "duplicate code {code}: feature #{first_index} already has it")
            }
            Self::Invalid { field, message } => write!(f, "property \"{field}\": {message}"),
        }
    }
}

/// One feature as an importer read it: its code and name as written (for the error lines),
/// the item only when every part was good, and what was wrong.
pub(super) struct ParsedFeature<T> {
    pub code: Option<String>,
    pub name: Option<String>,
    pub item: Option<T>,
    pub problems: Vec<FeatureProblem>,
}

impl<T> ParsedFeature<T> {
    /// Something that is not a GeoJSON Feature at all.
    pub fn not_a_feature() -> Self {
        Self { code: None, name: None, item: None, problems: vec![FeatureProblem::NotAFeature] }
    }
}

/// Parses every feature with `parse`, also refusing a code used by an earlier feature (naming
/// that one); returns the good items and one error per problem. `tick` is called per feature.
pub(super) fn parse_all<T>(
    features: Vec<serde_json::Value>,
    mut parse: impl FnMut(serde_json::Value) -> ParsedFeature<T>,
    mut tick: impl FnMut(),
) -> (Vec<T>, Vec<FeatureError>) {
    let (mut items, mut errors) = (Vec::new(), Vec::new());
    // Code → index of the first feature that carries it.
    let mut owners: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (index, feature) in features.into_iter().enumerate() {
        let parsed = parse(feature);
        let mut problems = parsed.problems;
        if let Some(code) = &parsed.code {
            let first_index = *owners.entry(code.clone()).or_insert(index);
            if first_index != index {
                problems.push(FeatureProblem::DuplicateCode { code: code.clone(), first_index });
            }
        }
        match parsed.item {
            Some(item) if problems.is_empty() => items.push(item),
            _ => errors.extend(problems.into_iter().map(|problem| FeatureError {
                index,
                code: parsed.code.clone(),
                name: parsed.name.clone(),
                problem,
            })),
        }
        tick();
    }
    (items, errors)
}

//! The XML form of an Open311 response, written with quick-xml from the same serde model as the
//! JSON form (the specification's JSON is the "Spark" mapping of its XML):
//!
//! - an object is an element per field; a field holding a list `xs` is `<xs><x>…</x>…</xs>` (the
//!   item element is the list's name without its final `s`: `attributes` → `attribute`);
//! - the top-level list is `<ROOT><ITEM>…</ITEM>…</ROOT>` with names given per response;
//! - `null` is an empty element, booleans are `true` / `false`.
//!
//! Fields come in alphabetical order (as serde_json keeps objects); the specification's XML is
//! schemaless and clients read elements by name. Characters XML 1.0 cannot carry (control
//! characters other than tab and line breaks) are replaced by U+FFFD.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use serde_json::Value;

type W = Writer<Vec<u8>>;

/// `value` as an XML document with root element `root`. A list becomes `item` elements.
pub fn document(root: &str, item: Option<&str>, value: &Value) -> Vec<u8> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing to a Vec cannot fail.
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
    let _ = match (value, item) {
        (Value::Array(items), Some(item)) => w
            .create_element(root)
            .write_inner_content(|w| items.iter().try_for_each(|v| element(w, item, v)))
            .map(|_| ()),
        _ => element(&mut w, root, value),
    };
    let mut out = w.into_inner();
    out.push(b'\n');
    out
}

fn element(w: &mut W, name: &str, value: &Value) -> std::io::Result<()> {
    match value {
        Value::Null => {
            w.create_element(name).write_empty()?;
        }
        Value::Bool(b) => text(w, name, if *b { "true" } else { "false" })?,
        Value::Number(n) => text(w, name, &n.to_string())?,
        Value::String(s) => text(w, name, s)?,
        Value::Array(items) => {
            let item = name.strip_suffix('s').filter(|s| !s.is_empty()).unwrap_or("item");
            w.create_element(name).write_inner_content(|w| items.iter().try_for_each(|v| element(w, item, v)))?;
        }
        Value::Object(fields) => {
            w.create_element(name).write_inner_content(|w| fields.iter().try_for_each(|(k, v)| element(w, k, v)))?;
        }
    }
    Ok(())
}

fn text(w: &mut W, name: &str, s: &str) -> std::io::Result<()> {
    let allowed = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    let clean: std::borrow::Cow<str> = if s.chars().all(allowed) {
        s.into()
    } else {
        s.chars().map(|c| if allowed(c) { c } else { '\u{FFFD}' }).collect()
    };
    if clean.is_empty() {
        w.create_element(name).write_empty()?;
    } else {
        w.create_element(name).write_text_content(BytesText::new(&clean))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lists_nest_under_singular_elements_and_text_is_escaped() {
        let v = json!([{"code": "x", "attributes": [{"values": [{"key": "a<b", "name": "Ban đêm"}]}], "n": null, "b": true}]);
        let xml = String::from_utf8(document("services", Some("service"), &v)).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "{xml}");
        for part in
            ["<services>", "<service>", "<attributes>", "<attribute>", "<values>", "<value>", "<key>a&lt;b</key>"]
        {
            assert!(xml.contains(part), "{part} in {xml}");
        }
        assert!(xml.contains("<name>Ban đêm</name>") && xml.contains("<n/>") && xml.contains("<b>true</b>"), "{xml}");
    }

    #[test]
    fn control_characters_cannot_break_the_document() {
        let xml = String::from_utf8(document("error", None, &json!({"description": "a\u{1}b\nc"}))).unwrap();
        assert!(xml.contains("a\u{FFFD}b\nc"), "{xml}");
    }
}

//! `GET /ogc/api`: the OpenAPI 3.0 definition of `/ogc` (the `service-desc` of the landing
//! page, and what the `oas30` conformance class asks for): the six paths of Part 1, their
//! parameters, and the collection ids as an enum.

use serde_json::{Value, json};

fn param(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema, "style": "form", "explode": false})
}

fn path_param(name: &str, schema: Value) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": schema})
}

fn ok(description: &str, media: &str) -> Value {
    json!({
        "200": {"description": description, "content": {media: {"schema": {"type": "object"}}}},
        "400": {"description": "A parameter is invalid or unknown (problem+json naming it)."},
        "404": {"description": "No such collection or feature."}
    })
}

fn get(summary: &str, operation: &str, parameters: Vec<Value>, responses: Value) -> Value {
    json!({"get": {"summary": summary, "operationId": operation, "tags": ["OGC API – Features"], "parameters": parameters, "responses": responses}})
}

/// The definition, with `server` as the API's root URL and `collections` the ids served now.
pub fn document(server: &str, collections: &[String]) -> Value {
    let collection = path_param("collectionId", json!({"type": "string", "enum": collections}));
    let items_params = vec![
        collection.clone(),
        param(
            "limit",
            "Features per page (default 10; above 10 000 the server returns 10 000).",
            json!({"type": "integer", "minimum": 1, "maximum": 10000, "default": 10}),
        ),
        param(
            "offset",
            "Skip this many matching features (the `next` link sets it).",
            json!({"type": "integer", "minimum": 0, "default": 0}),
        ),
        param(
            "bbox",
            "minLon,minLat,maxLon,maxLat (CRS84); 6 numbers with heights are accepted, heights ignored.",
            json!({"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}),
        ),
        param(
            "datetime",
            "An RFC 3339 instant or interval start/end, `..` for an open end.",
            json!({"type": "string"}),
        ),
        param("f", "Only `json` (GeoJSON).", json!({"type": "string", "enum": ["json", "geojson"]})),
    ];
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Switchboard — OGC API – Features",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Public data of the city: administrative areas, land-use plans, published citizens' reports."
        },
        "servers": [{"url": server}],
        "paths": {
            "/": get("Landing page", "getLandingPage", vec![], ok("Links to the API, conformance and collections.", "application/json")),
            "/conformance": get("Conformance classes", "getConformanceDeclaration", vec![], ok("The conformance classes implemented.", "application/json")),
            "/collections": get("The feature collections", "getCollections", vec![], ok("Every collection with its extent.", "application/json")),
            "/collections/{collectionId}": get("One collection", "describeCollection", vec![collection.clone()], ok("The collection.", "application/json")),
            "/collections/{collectionId}/items": get("A collection's features", "getFeatures", items_params, ok("A GeoJSON FeatureCollection with paging links.", "application/geo+json")),
            "/collections/{collectionId}/items/{featureId}": get(
                "One feature",
                "getFeature",
                vec![collection, path_param("featureId", json!({"type": "string"}))],
                ok("A GeoJSON Feature.", "application/geo+json"),
            ),
        }
    })
}

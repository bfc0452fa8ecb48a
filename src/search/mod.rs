//! Search over the procedures catalogue that understands Vietnamese as people type it: tantivy
//! (quickwit's full-text engine, its index in memory) over syllables, each text indexed as
//! written and folded (no diacritics, `đ` → `d`), adjacent syllables as pairs so that
//! multi-syllable words ("giấy phép", "sổ đỏ") rank above scattered syllables, and small typos
//! matched at distance 1 at a lower weight. Synchronous and without I/O: the catalogue's service
//! builds it whole (a few thousand procedures at most) when the catalogue changes.
//!
//! A search also says how surely the catalogue answers ([`Hit::confidence`]): the share of the
//! question's meaningful syllables found in the best procedure's name, keywords and field (one
//! written with diacritics must match them). The
//! chatbot answers only above a threshold; question words ("cần gì", "ở đâu", "bao lâu") are not
//! meaningful syllables.

use std::collections::HashSet;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TEXT, Value};
use tantivy::{Index, IndexReader, TantivyDocument, Term, doc};

use crate::domain::text::fold;
use crate::domain::{Procedure, ProcedureCode};

/// Longest question read, in characters (the rest is ignored).
pub const MAX_QUERY_CHARS: usize = 300;
/// Most syllables of a question used.
const MAX_TERMS: usize = 24;

/// Words that ask rather than say what about (as written, lower case; unaccented forms only
/// where they cannot be another word: "can" may be "căn", so it stays).
pub const STOP: &[&str] = &[
    "cho", "hỏi", "hoi", "mình", "minh", "tôi", "toi", "em", "anh", "chị", "chi", "bạn", "ban", "cần", "gì", "gi", "j",
    "nào", "nao", "ở", "đâu", "dau", "thế", "the", "làm", "lam", "sao", "bao", "lâu", "lau", "nhiêu", "nhieu", "bn",
    "không", "khong", "ko", "k", "hok", "được", "duoc", "dc", "đc", "có", "co", "phải", "phai", "và", "va", "là", "la",
    "thì", "thi", "để", "de", "muốn", "muon", "xin", "ạ", "ơi", "oi", "nhé", "nhe", "nha", "với", "voi", "của", "cua",
    "tại", "tai", "về", "ve", "những", "nhung", "các", "cac", "một", "mot", "thủ", "thu", "tục", "tuc", "giấy", "tờ",
    "to", "vậy", "vay", "ad", "admin", "nhỉ", "nhi", "rồi", "roi", "mang", "đi", "di", "nộp", "nop", "ai", "hồ", "sơ",
    "so", "how", "what", "where", "do", "i", "a", "need", "can", "my",
];

/// One match.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub code: ProcedureCode,
    /// tantivy's score (BM25 with the field weights).
    pub score: f32,
    /// 0–1: the share of the question's meaningful syllables found in this procedure's name,
    /// keywords and field (pairs of syllables count double).
    pub confidence: f32,
}

/// Only these procedures.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// Folded field name.
    pub field: Option<String>,
    pub level: Option<crate::domain::ProcedureLevel>,
}

struct Head {
    folded: HashSet<String>,
    written: HashSet<String>,
    pairs: HashSet<String>,
}

struct Fields {
    code: Field,
    name: Field,
    name_fold: Field,
    name_pairs: Field,
    keys_fold: Field,
    keys_pairs: Field,
    field_fold: Field,
    body_fold: Field,
}

/// The search index of one catalogue.
pub struct ProcedureSearch {
    reader: IndexReader,
    f: Fields,
    /// Per procedure (by code): its name, keywords and field syllables folded and as written
    /// (lower case), and the pairs of its folded syllables.
    heads: std::collections::HashMap<ProcedureCode, Head>,
    filter_data: std::collections::HashMap<ProcedureCode, (String, crate::domain::ProcedureLevel)>,
}

fn pairs(folded: &str) -> String {
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    words.windows(2).map(|w| format!("{}{}", w[0], w[1])).collect::<Vec<_>>().join(" ")
}

fn raw_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

impl ProcedureSearch {
    /// Indexes `procedures`.
    pub fn build(procedures: &[Procedure]) -> anyhow::Result<Self> {
        let mut schema = Schema::builder();
        let f = Fields {
            code: schema.add_text_field("code", STRING | STORED),
            name: schema.add_text_field("name", TEXT),
            name_fold: schema.add_text_field("name_fold", TEXT),
            name_pairs: schema.add_text_field("name_pairs", TEXT),
            keys_fold: schema.add_text_field("keys_fold", TEXT),
            keys_pairs: schema.add_text_field("keys_pairs", TEXT),
            field_fold: schema.add_text_field("field_fold", TEXT),
            body_fold: schema.add_text_field("body_fold", TEXT),
        };
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        let mut heads = std::collections::HashMap::new();
        let mut filter_data = std::collections::HashMap::new();
        for p in procedures {
            let name = format!("{} {}", p.name, p.name_en.as_deref().unwrap_or(""));
            let name_fold = fold(&name);
            let keys_fold: Vec<String> = p.keywords.iter().map(|k| fold(k)).collect();
            let keys_pairs = keys_fold.iter().map(|k| pairs(k)).collect::<Vec<_>>().join(" ");
            let field_fold = fold(&format!("{} {}", p.field, p.field_en.as_deref().unwrap_or("")));
            let body = [
                p.steps.join(" "),
                p.documents.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(" "),
                p.result.clone(),
                p.applicants.clone(),
                p.conditions.clone().unwrap_or_default(),
            ]
            .join(" ");
            writer.add_document(doc!(
                f.code => p.code.as_str(),
                f.name => name.to_lowercase(),
                f.name_fold => name_fold.clone(),
                f.name_pairs => pairs(&fold(&p.name)),
                f.keys_fold => keys_fold.join(" "),
                f.keys_pairs => keys_pairs.clone(),
                f.field_fold => field_fold.clone(),
                f.body_fold => fold(&body),
            ))?;
            let head_text = format!("{} {} {}", fold(&p.name), keys_fold.join(" "), field_fold);
            let words: HashSet<String> = head_text.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
            let mut pair_set: HashSet<String> = pairs(&fold(&p.name)).split(' ').map(str::to_owned).collect();
            pair_set.extend(keys_pairs.split(' ').map(str::to_owned));
            let written_text = format!("{} {} {}", p.name, p.keywords.join(" "), p.field);
            let written: HashSet<String> = raw_words(&written_text).into_iter().collect();
            heads.insert(p.code.clone(), Head { folded: words, written, pairs: pair_set });
            filter_data.insert(p.code.clone(), (fold(&p.field), p.level));
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(Self { reader, f, heads, filter_data })
    }

    /// The procedures matching `question` best first, at most `limit`.
    pub fn search(&self, question: &str, filter: &SearchFilter, limit: usize) -> Vec<Hit> {
        let question: String = question.chars().take(MAX_QUERY_CHARS).collect();
        let raw: Vec<String> = raw_words(&question);
        // The meaningful syllables, as written and folded, in order.
        let kept: Vec<(String, String)> = raw
            .iter()
            .filter(|w| !STOP.contains(&String::as_str(w)))
            .map(|w| (w.clone(), fold(w)))
            .filter(|(_, f)| !f.is_empty())
            .take(MAX_TERMS)
            .collect();
        if kept.is_empty() || limit == 0 {
            return Vec::new();
        }
        let all_folded: Vec<String> =
            raw.iter().map(|w| fold(w)).filter(|w| !w.is_empty()).take(MAX_TERMS * 2).collect();
        let f = &self.f;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let term = |field: Field, text: &str, boost: f32| -> (Occur, Box<dyn Query>) {
            let q = TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs);
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
        };
        for (written, folded) in &kept {
            clauses.push(term(f.name_fold, folded, 3.0));
            clauses.push(term(f.keys_fold, folded, 3.0));
            clauses.push(term(f.field_fold, folded, 1.0));
            clauses.push(term(f.body_fold, folded, 0.4));
            if written != folded {
                // The right diacritics are worth more than a folded match alone.
                clauses.push(term(f.name, written, 1.5));
            }
            if folded.len() >= 4 {
                for field in [f.name_fold, f.keys_fold] {
                    let q = FuzzyTermQuery::new(Term::from_field_text(field, folded), 1, true);
                    clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), 2.0))));
                }
            }
        }
        // Pairs of adjacent syllables, stop words included ("sổ đỏ", "cấp lại").
        let question_pairs: Vec<String> = all_folded.windows(2).map(|w| format!("{}{}", w[0], w[1])).collect();
        for p in &question_pairs {
            clauses.push(term(f.name_pairs, p, 2.5));
            clauses.push(term(f.keys_pairs, p, 1.5));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        // Filters are applied to the ranked list (a catalogue is small).
        let Ok(top) = searcher.search(&query, &TopDocs::with_limit(limit.max(1) * 4 + 50).order_by_score()) else {
            return Vec::new();
        };
        // A syllable written with its diacritics must match them ("chợ" is not "cho"); one
        // written without matches any.
        let content: HashSet<(&str, &str)> = kept.iter().map(|(w, f)| (w.as_str(), f.as_str())).collect();
        let mut hits = Vec::new();
        for (score, address) in top {
            let Ok(d) = searcher.doc::<TantivyDocument>(address) else { continue };
            let Some(code) =
                d.get_first(f.code).and_then(|v| v.as_str()).and_then(|c| ProcedureCode::parse(c, "code").ok())
            else {
                continue;
            };
            if let Some((field, level)) = self.filter_data.get(&code)
                && (filter.field.as_ref().is_some_and(|want| want != field)
                    || filter.level.is_some_and(|l| l != *level))
            {
                continue;
            }
            let confidence = self.heads.get(&code).map_or(0.0, |head| {
                let found = content
                    .iter()
                    .filter(|(w, f)| if w == f { head.folded.contains(*f) } else { head.written.contains(*w) })
                    .count() as f32;
                let paired = question_pairs.iter().filter(|p| head.pairs.contains(*p)).count() as f32;
                let total = content.len() as f32;
                ((found + paired) / (total + paired.max(1.0))).min(1.0)
            });
            hits.push(Hit { code, score, confidence });
            if hits.len() == limit {
                break;
            }
        }
        hits
    }

    /// How many procedures are indexed.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests;

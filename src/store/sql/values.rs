//! Values as the two databases store them. [`Arg`] binds a Rust value as a parameter and [`Col`]
//! reads one from a column, each through its form on one database ([`ArgFor`], [`ColFor`]).
//! Values that both keep as they are (text, numbers, booleans, bytes, JSON, and `NULL` for
//! `None`) are implemented here, once; the others (timestamps, uuids, dates, JSON read back,
//! code lists, boundaries) in `store/postgres` and `store/sqlite`.

use sqlx::postgres::{PgQueryResult, PgRow};
use sqlx::sqlite::{SqliteQueryResult, SqliteRow};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Database, Encode, Postgres, Row, Sqlite, Type, ValueRef as _};
use uuid::Uuid;

use super::Dialect;
use crate::domain::TicketId;
use crate::store::StoreResult;

/// How a Rust value is bound as a parameter on database `D`: converted to `Out`.
pub trait ArgFor<'v, D: Database> {
    type Out: Encode<'v, D> + Type<D> + 'v;
    fn into_arg(self) -> Self::Out;
}

/// A Rust value that can be bound on either database.
pub trait Arg<'v>: ArgFor<'v, Postgres> + ArgFor<'v, Sqlite> {}
impl<'v, T: ArgFor<'v, Postgres> + ArgFor<'v, Sqlite>> Arg<'v> for T {}

/// How a Rust value is read from a column of database `D`. Bad stored data is
/// [`crate::store::StoreError::Corrupt`], naming the column by its label (see [`Get::col`]).
pub trait ColFor<D: Database>: Sized {
    fn from_row(row: &D::Row, label: &str) -> StoreResult<Self>;
}

/// A Rust value that can be read on either database.
pub trait Col: ColFor<Postgres> + ColFor<Sqlite> {}
impl<T: ColFor<Postgres> + ColFor<Sqlite>> Col for T {}

/// Binds parameters with [`Arg`]: `D::query(SQL).arg(a).arg(b)`.
pub trait Bind {
    fn arg<'v, T: Arg<'v>>(self, value: T) -> Self;
}

impl<D: Dialect> Bind for super::Query<'_, D> {
    fn arg<'v, T: Arg<'v>>(self, value: T) -> Self {
        D::bind(self, value)
    }
}

/// Reads columns with [`Col`].
pub trait Get {
    /// The column `label` names: `"table.column"` (the table only says where bad data was
    /// found) or `"column"`.
    fn col<T: Col>(&self, label: &str) -> StoreResult<T>;
}

impl Get for PgRow {
    fn col<T: Col>(&self, label: &str) -> StoreResult<T> {
        <T as ColFor<Postgres>>::from_row(self, label)
    }
}

impl Get for SqliteRow {
    fn col<T: Col>(&self, label: &str) -> StoreResult<T> {
        <T as ColFor<Sqlite>>::from_row(self, label)
    }
}

/// The column a [`Get::col`] label names.
pub(crate) fn column_of(label: &str) -> &str {
    label.rsplit_once('.').map_or(label, |(_, column)| column)
}

/// How many rows a statement changed, on either database.
pub trait RowsAffected {
    fn rows(&self) -> u64;
}

impl RowsAffected for PgQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

impl RowsAffected for SqliteQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

/// Values a database binds and reads as they are, by the driver's own encoding:
/// `as_is!(impl [GENERICS] DATABASE; args: TYPES; cols: TYPES)`.
macro_rules! as_is {
    (impl $generics:tt $db:ty; args: $($arg:ty),*; cols: $($col:ty),*) => {
        $($crate::store::sql::as_is!(@arg $generics $db, $arg);)*
        $($crate::store::sql::as_is!(@col $generics $db, $col);)*
    };
    (@arg [$($generics:tt)*] $db:ty, $arg:ty) => {
        impl<'v, $($generics)*> $crate::store::sql::ArgFor<'v, $db> for $arg
        where
            $arg: sqlx::Encode<'v, $db> + sqlx::Type<$db>,
        {
            type Out = Self;
            fn into_arg(self) -> Self {
                self
            }
        }
    };
    (@col [$($generics:tt)*] $db:ty, $col:ty) => {
        impl<$($generics)*> $crate::store::sql::ColFor<$db> for $col
        where
            $col: for<'r> sqlx::Decode<'r, $db> + sqlx::Type<$db>,
            for<'a> &'a str: sqlx::ColumnIndex<<$db as sqlx::Database>::Row>,
        {
            fn from_row(row: &<$db as sqlx::Database>::Row, label: &str) -> $crate::store::StoreResult<Self> {
                Ok(sqlx::Row::try_get(row, $crate::store::sql::column_of(label))?)
            }
        }
    };
}
pub(crate) use as_is;

as_is!(impl [D: Database] D; args: String, i16, i32, i64, f64, bool; cols: String, f64, bool, Vec<u8>);

impl<'v, D: Database> ArgFor<'v, D> for &'v str
where
    &'v str: Encode<'v, D> + Type<D>,
{
    type Out = Self;
    fn into_arg(self) -> Self {
        self
    }
}

impl<'v, D: Database> ArgFor<'v, D> for &'v [u8]
where
    &'v [u8]: Encode<'v, D> + Type<D>,
{
    type Out = Self;
    fn into_arg(self) -> Self {
        self
    }
}

/// JSON written by serde_json: `jsonb` on PostgreSQL, its compact text on SQLite.
impl<'v, D: Database, T: serde::Serialize + 'v> ArgFor<'v, D> for Json<T>
where
    Json<T>: Encode<'v, D> + Type<D>,
{
    type Out = Self;
    fn into_arg(self) -> Self {
        self
    }
}

/// `None` is a `NULL` of the type `Some` would be.
impl<'v, D: Database, T: ArgFor<'v, D>> ArgFor<'v, D> for Option<T>
where
    Option<T::Out>: Encode<'v, D> + Type<D>,
{
    type Out = Option<T::Out>;
    fn into_arg(self) -> Self::Out {
        self.map(T::into_arg)
    }
}

impl<'v, D: Database> ArgFor<'v, D> for TicketId
where
    Uuid: ArgFor<'v, D>,
{
    type Out = <Uuid as ArgFor<'v, D>>::Out;
    fn into_arg(self) -> Self::Out {
        self.0.into_arg()
    }
}

impl<D: Database, T: ColFor<D>> ColFor<D> for Option<T>
where
    for<'a> &'a str: ColumnIndex<D::Row>,
{
    fn from_row(row: &D::Row, label: &str) -> StoreResult<Self> {
        if row.try_get_raw(column_of(label))?.is_null() {
            return Ok(None);
        }
        T::from_row(row, label).map(Some)
    }
}

use ronghe_core::text::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Missing, or outside the caller's scope: the two look the same on purpose.
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("permission denied")]
    Forbidden,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("key store: {0}")]
    Key(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut e = FieldErrors::new();
        e.add(field, message);
        StoreError::Invalid(e)
    }

    /// True when the database refused a write for a unique constraint.
    pub fn is_unique_violation(err: &sqlx::Error) -> bool {
        match err {
            sqlx::Error::Database(db) => {
                matches!(db.kind(), sqlx::error::ErrorKind::UniqueViolation)
                    || db.message().contains("UNIQUE")
            }
            _ => false,
        }
    }
}

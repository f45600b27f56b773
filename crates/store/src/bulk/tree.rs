//! The rows of a generated tree: organizations, members and committee seats.

use super::sql::{AnyQuery, Bind};
use super::Texts;
use ronghe_core::org::{OrgKind, UnitKind};

/// Bound parameters per statement: under SQLite's 32,766.
const PARAMS: usize = 32_000;

/// An organization with its materialized path and member counters filled in. Borrows its
/// texts from the generator's plan, which holds them anyway.
pub struct OrgRow<'a> {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub path: &'a str,
    pub kind: OrgKind,
    pub name: &'a str,
    pub unit_name: &'a str,
    pub unit_kind: UnitKind,
    /// `YYYY-MM-DD`.
    pub founded_on: &'a str,
    /// `YYYY-MM-DD`.
    pub term_start: &'a str,
    pub term_years: u8,
    /// Active members by status, as the organization's counters hold them.
    pub full_count: u32,
    pub probationary_count: u32,
    pub other_count: u32,
}

impl OrgRow<'_> {
    /// Rows per INSERT statement.
    pub const PER_INSERT: usize = PARAMS / 13;
}

impl Bind for OrgRow<'_> {
    const HEAD: &'static str =
        "INSERT INTO orgs (id, parent_id, path, kind, name, unit_name, unit_kind, founded_on, \
         term_start, term_years, full_count, probationary_count, other_count, created_at, \
         updated_at)";
    const COLS: usize = 13;
    const PER_INSERT: usize = Self::PER_INSERT;

    fn literals(now: i64, _year: i32) -> String {
        format!(",{now},{now}")
    }

    fn bind<'q>(&'q self, q: AnyQuery<'q>, _: &'q Texts) -> AnyQuery<'q> {
        q.bind(self.id)
            .bind(self.parent_id)
            .bind(self.path)
            .bind(self.kind.code())
            .bind(self.name)
            .bind(self.unit_name)
            .bind(self.unit_kind.code())
            .bind(self.founded_on)
            .bind(self.term_start)
            .bind(i64::from(self.term_years))
            .bind(i64::from(self.full_count))
            .bind(i64::from(self.probationary_count))
            .bind(i64::from(self.other_count))
    }
}

/// A member, with the ID number and phone already sealed and blind-indexed with
/// [`crate::Store::crypto`] exactly as the per-row API does.
pub struct MemberRow {
    pub id: i64,
    pub org_id: i64,
    pub name: String,
    /// Gender code.
    pub gender: &'static str,
    pub birth_date: String,
    pub id_enc: String,
    pub id_bidx: String,
    pub phone_enc: String,
    pub phone_bidx: String,
    /// Party status code.
    pub status: &'static str,
    pub joined_on: Option<String>,
    pub full_on: Option<String>,
    pub department: Option<&'static str>,
    pub post: Option<&'static str>,
    pub party_duty: Option<&'static str>,
    /// 1, or 0 for those transferred out.
    pub active: i64,
    pub left_on: Option<String>,
}

impl MemberRow {
    /// Rows per INSERT statement.
    pub const PER_INSERT: usize = PARAMS / 17;
}

impl Bind for MemberRow {
    const HEAD: &'static str =
        "INSERT INTO members (id, org_id, name, gender, birth_date, id_enc, id_bidx, phone_enc, \
         phone_bidx, status, joined_on, full_on, department, post, party_duty, active, left_on, \
         created_at, updated_at)";
    const COLS: usize = 17;
    const PER_INSERT: usize = Self::PER_INSERT;

    fn literals(now: i64, _year: i32) -> String {
        format!(",{now},{now}")
    }

    fn bind<'q>(&'q self, q: AnyQuery<'q>, _: &'q Texts) -> AnyQuery<'q> {
        q.bind(self.id)
            .bind(self.org_id)
            .bind(self.name.as_str())
            .bind(self.gender)
            .bind(self.birth_date.as_str())
            .bind(self.id_enc.as_str())
            .bind(self.id_bidx.as_str())
            .bind(self.phone_enc.as_str())
            .bind(self.phone_bidx.as_str())
            .bind(self.status)
            .bind(self.joined_on.as_deref())
            .bind(self.full_on.as_deref())
            .bind(self.department)
            .bind(self.post)
            .bind(self.party_duty)
            .bind(self.active)
            .bind(self.left_on.as_deref())
    }
}

/// A committee seat.
pub struct SeatRow {
    pub org_id: i64,
    pub member_id: i64,
    /// Seat role code.
    pub role: &'static str,
    pub duty: &'static str,
    /// `YYYY-MM-DD`.
    pub since: String,
}

impl SeatRow {
    /// Rows per INSERT statement.
    pub const PER_INSERT: usize = PARAMS / 5;
}

impl Bind for SeatRow {
    const HEAD: &'static str = "INSERT INTO committee_seats (org_id, member_id, role, duty, since)";
    const COLS: usize = 5;
    const PER_INSERT: usize = Self::PER_INSERT;

    fn literals(_now: i64, _year: i32) -> String {
        String::new()
    }

    fn bind<'q>(&'q self, q: AnyQuery<'q>, _: &'q Texts) -> AnyQuery<'q> {
        q.bind(self.org_id)
            .bind(self.member_id)
            .bind(self.role)
            .bind(self.duty)
            .bind(self.since.as_str())
    }
}

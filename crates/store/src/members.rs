//! Members. ID numbers and phones are sealed at rest and leave the store masked, except through
//! [`Store::member_reveal`], which needs its own permission and is audited.

use crate::error::{StoreError, StoreResult};
use crate::q::Q;
use crate::{audit, now_ms, Actor, Page, Store, COUNT_CAP};
use ronghe_core::forms::MemberInput;
use ronghe_core::idnum::{mask_id, IdNumber};
use ronghe_core::member::{Gender, PartyStatus};
use ronghe_core::org::OrgKind;
use ronghe_core::phone::{mask_phone, Phone};
use ronghe_core::scope::{subtree_range, Scope};
use serde::Serialize;
use sqlx::AnyConnection;
use sqlx::FromRow;

/// One line of the member list (no personal data at all).
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub name: String,
    pub gender: String,
    pub status: String,
    pub department: Option<String>,
    pub post: Option<String>,
    pub active: i64,
}

impl MemberRow {
    pub fn status_label(&self) -> &'static str {
        PartyStatus::from_code(&self.status).map_or("", PartyStatus::label)
    }
    pub fn gender_label(&self) -> &'static str {
        Gender::from_code(&self.gender).map_or("", Gender::label)
    }
}

/// A member as shown: personal data masked.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub name: String,
    pub gender: String,
    pub birth_date: Option<String>,
    pub id_number_masked: String,
    pub phone_masked: Option<String>,
    pub status: String,
    pub joined_on: Option<String>,
    pub full_on: Option<String>,
    pub department: Option<String>,
    pub post: Option<String>,
    pub party_duty: Option<String>,
    /// Under 留党察看: no vote (1), or not (0).
    pub rights_suspended: i64,
    pub active: i64,
    pub left_on: Option<String>,
    pub updated_at: i64,
}

impl Member {
    pub fn status_label(&self) -> &'static str {
        PartyStatus::from_code(&self.status).map_or("", PartyStatus::label)
    }
    pub fn gender_label(&self) -> &'static str {
        Gender::from_code(&self.gender).map_or("", Gender::label)
    }
}

#[derive(FromRow)]
struct RawMember {
    id: i64,
    org_id: i64,
    org_name: String,
    org_path: String,
    name: String,
    gender: String,
    birth_date: Option<String>,
    id_enc: String,
    phone_enc: Option<String>,
    status: String,
    joined_on: Option<String>,
    full_on: Option<String>,
    department: Option<String>,
    post: Option<String>,
    party_duty: Option<String>,
    rights_suspended: i64,
    active: i64,
    left_on: Option<String>,
    updated_at: i64,
}

const RAW_COLS: &str = "m.id, m.org_id, o.name AS org_name, o.path AS org_path, m.name, m.gender, \
    m.birth_date, m.id_enc, m.phone_enc, m.status, m.joined_on, m.full_on, m.department, m.post, \
    m.party_duty, m.rights_suspended, m.active, m.left_on, m.updated_at";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevealField {
    IdNumber,
    Phone,
}

/// Member list filters, as in the query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct MemberFilter {
    /// Subtree root to list (defaults to the whole scope).
    #[serde(deserialize_with = "lenient_number")]
    pub org: Option<i64>,
    pub status: Option<String>,
    /// Name, or a full ID number or phone (found through the blind index).
    pub q: Option<String>,
    /// "1" active only (default), "0" transferred out, "all".
    pub active: Option<String>,
    #[serde(deserialize_with = "lenient_number")]
    pub page: Option<u32>,
}

/// Query strings come from forms: an empty or unreadable number means "not given".
pub fn lenient_number<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
{
    let s: Option<String> = serde::Deserialize::deserialize(d)?;
    Ok(s.and_then(|s| s.trim().parse().ok()))
}

pub const PER_PAGE: u32 = 20;

fn date(d: Option<ronghe_core::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// A member as a picker shows them.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct MemberName {
    pub id: i64,
    pub name: String,
}

impl Store {
    fn unseal(&self, raw: RawMember) -> StoreResult<Member> {
        let id_plain = self.crypto.open(&raw.id_enc)?;
        let phone = raw
            .phone_enc
            .as_deref()
            .map(|p| self.crypto.open(p))
            .transpose()?;
        Ok(Member {
            id: raw.id,
            org_id: raw.org_id,
            org_name: raw.org_name,
            org_path: raw.org_path,
            name: raw.name,
            gender: raw.gender,
            birth_date: raw.birth_date,
            id_number_masked: mask_id(&id_plain),
            phone_masked: phone.map(|p| mask_phone(&p)),
            status: raw.status,
            joined_on: raw.joined_on,
            full_on: raw.full_on,
            department: raw.department,
            post: raw.post,
            party_duty: raw.party_duty,
            rights_suspended: raw.rights_suspended,
            active: raw.active,
            left_on: raw.left_on,
            updated_at: raw.updated_at,
        })
    }

    async fn member_raw(&self, scope: &Scope, id: i64) -> StoreResult<RawMember> {
        let mut q = Q::new(&format!(
            "SELECT {RAW_COLS} FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = "
        ));
        q.bind(id)
            .push(" AND ")
            .member_scope(scope, "o.path", "m.id");
        q.query_as::<RawMember>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn member_get(&self, scope: &Scope, id: i64) -> StoreResult<Member> {
        self.unseal(self.member_raw(scope, id).await?)
    }

    /// The full ID number or phone; the caller checked the permission, this writes the audit log.
    pub async fn member_reveal(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        field: RevealField,
    ) -> StoreResult<String> {
        let raw = self.member_raw(scope, id).await?;
        let (label, value) = match field {
            RevealField::IdNumber => ("身份证号", Some(self.crypto.open(&raw.id_enc)?)),
            RevealField::Phone => (
                "手机号",
                raw.phone_enc
                    .as_deref()
                    .map(|p| self.crypto.open(p))
                    .transpose()?,
            ),
        };
        let target = format!("member:{id}");
        self.audit_event(
            actor,
            "reveal",
            &target,
            "ok",
            &format!("查看{}的完整{label}", raw.name),
        )
        .await;
        value.ok_or(StoreError::NotFound)
    }

    pub async fn member_list(
        &self,
        scope: &Scope,
        f: &MemberFilter,
    ) -> StoreResult<Page<MemberRow>> {
        let page = f.page.unwrap_or(1).clamp(1, 100_000);
        let mut q = Q::new(" FROM members m JOIN orgs o ON o.id = m.org_id WHERE ");
        q.member_scope(scope, "o.path", "m.id");
        let mut by_name = false;
        if let Some(org_id) = f.org {
            let org = self.org_get(scope, org_id).await?;
            // A branch's list is small enough to sort by name, whether or not it has groups.
            by_name = matches!(org.kind(), OrgKind::Branch | OrgKind::Group);
            let leaf = org.kind() == OrgKind::Group || !self.org_has_children(org.id).await?;
            if leaf {
                // The (org_id, active, name) index answers it directly.
                q.push(" AND m.org_id = ").bind(org.id);
            } else {
                let (lo, hi) = subtree_range(&org.path);
                q.push(" AND o.path >= ")
                    .bind(lo)
                    .push(" AND o.path < ")
                    .bind(hi);
            }
        }
        match f.active.as_deref() {
            Some("all") => {}
            Some("0") => {
                q.push(" AND m.active = 0");
            }
            _ => {
                q.push(" AND m.active = 1");
            }
        }
        if let Some(s) = f.status.as_deref().and_then(PartyStatus::from_code) {
            q.push(" AND m.status = ").bind(s.code());
        }
        if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            if let Ok(id) = IdNumber::parse(text) {
                q.push(" AND m.id_bidx = ")
                    .bind(self.crypto.blind_index("id", id.as_str()));
            } else if let Ok(p) = Phone::parse(text) {
                q.push(" AND m.phone_bidx = ")
                    .bind(self.crypto.blind_index("phone", p.as_str()));
            } else {
                let pattern = format!("%{}%", text.replace(['%', '_'], ""));
                q.push(" AND m.name LIKE ").bind(pattern);
            }
        }
        let mut count = q.clone();
        count.sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1{} LIMIT {}) t",
            count.sql,
            COUNT_CAP + 1
        );
        let total: i64 = count.scalar().fetch_one(&self.pool).await?;
        q.sql = format!(
            "SELECT m.id, m.org_id, o.name AS org_name, m.name, m.gender, m.status, m.department, \
             m.post, m.active{} ORDER BY {} LIMIT {} OFFSET {}",
            q.sql,
            if by_name { "m.name, m.id" } else { "m.id" },
            PER_PAGE,
            (page - 1) as i64 * PER_PAGE as i64
        );
        let items = q.query_as::<MemberRow>().fetch_all(&self.pool).await?;
        Ok(Page {
            items,
            page,
            per_page: PER_PAGE,
            total: total.min(COUNT_CAP),
            total_capped: total > COUNT_CAP,
        })
    }

    /// Active party members of one organization, for committee and attendance pickers.
    pub async fn member_roster(&self, scope: &Scope, org_id: i64) -> StoreResult<Vec<MemberRow>> {
        let mut q = Q::new(
            "SELECT m.id, m.org_id, o.name AS org_name, m.name, m.gender, m.status, m.department, \
             m.post, m.active FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.org_id = ",
        );
        q.bind(org_id)
            .push(" AND m.active = 1 AND ")
            .member_scope(scope, "o.path", "m.id");
        q.push(" ORDER BY m.name LIMIT 1000");
        Ok(q.query_as::<MemberRow>().fetch_all(&self.pool).await?)
    }

    /// Ids and names of an organization's active members, for pickers (the same members as
    /// [`Store::member_roster`], without the columns a picker does not show).
    pub async fn roster_names(&self, scope: &Scope, org_id: i64) -> StoreResult<Vec<MemberName>> {
        let mut q = Q::new(
            "SELECT m.id, m.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.org_id = ",
        );
        q.bind(org_id)
            .push(" AND m.active = 1 AND ")
            .member_scope(scope, "o.path", "m.id");
        q.push(" ORDER BY m.name LIMIT 1000");
        Ok(q.query_as::<MemberName>().fetch_all(&self.pool).await?)
    }

    /// Active members of an organization's whole subtree, by name (for committee pickers of a
    /// 党委 or 党总支, whose members are filed in its branches).
    pub async fn member_picker(
        &self,
        scope: &Scope,
        org: &crate::Org,
        limit: i64,
    ) -> StoreResult<Vec<MemberRow>> {
        let (lo, hi) = subtree_range(&org.path);
        let mut q = Q::new(
            "SELECT m.id, m.org_id, o.name AS org_name, m.name, m.gender, m.status, m.department, \
             m.post, m.active FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path >= ",
        );
        q.bind(lo)
            .push(" AND o.path < ")
            .bind(hi)
            .push(" AND m.active = 1 AND ");
        q.member_scope(scope, "o.path", "m.id")
            .push(" ORDER BY m.name LIMIT ")
            .bind(limit);
        Ok(q.query_as::<MemberRow>().fetch_all(&self.pool).await?)
    }

    /// Checks that `org_id` is an organization members may belong to, inside `scope`.
    async fn member_org(&self, scope: &Scope, org_id: i64) -> StoreResult<crate::Org> {
        let org = self
            .org_get(scope, org_id)
            .await
            .ok()
            .filter(|o| scope.sees_members_of(&o.path));
        let org =
            org.ok_or_else(|| StoreError::field("org_id", "所选党组织不存在或不在您的管理范围内"))?;
        if !matches!(
            org.kind(),
            OrgKind::Branch | OrgKind::Group | OrgKind::GeneralBranch
        ) {
            return Err(StoreError::field(
                "org_id",
                "党员应编入党支部（或党总支、党小组）",
            ));
        }
        Ok(org)
    }

    pub async fn member_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        m: &MemberInput,
    ) -> StoreResult<i64> {
        self.member_org(scope, m.org_id).await?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let res = sqlx::query_scalar::<_, i64>(
            "INSERT INTO members (org_id, name, gender, birth_date, id_enc, id_bidx, phone_enc, \
             phone_bidx, status, joined_on, full_on, department, post, party_duty, active, \
             created_at, updated_at, rights_suspended) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
             $9, $10, $11, $12, $13, $14, 1, $15, $15, $16) RETURNING id",
        )
        .bind(m.org_id)
        .bind(&m.name)
        .bind(m.gender.code())
        .bind(m.birth_date.to_string())
        .bind(self.crypto.seal(m.id_number.as_str()))
        .bind(self.crypto.blind_index("id", m.id_number.as_str()))
        .bind(m.phone.as_ref().map(|p| self.crypto.seal(p.as_str())))
        .bind(
            m.phone
                .as_ref()
                .map(|p| self.crypto.blind_index("phone", p.as_str())),
        )
        .bind(m.status.code())
        .bind(date(m.joined_on))
        .bind(date(m.full_on))
        .bind(m.department.clone())
        .bind(m.post.clone())
        .bind(m.party_duty.clone())
        .bind(now)
        .bind(i64::from(m.rights_suspended))
        .fetch_one(&mut *tx)
        .await;
        let id = match res {
            Err(e) if StoreError::is_unique_violation(&e) => {
                return Err(StoreError::field(
                    "id_number",
                    "该身份证号已经登记过，请勿重复添加（可在党员名册中按身份证号查找）",
                ));
            }
            r => r?,
        };
        bump(&mut tx, m.org_id, m.status.code(), 1).await?;
        audit::change(
            &mut tx,
            actor,
            "member",
            id,
            &format!("登记党员「{}」（{}）", m.name, m.status.label()),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn member_update(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        m: &MemberInput,
    ) -> StoreResult<()> {
        let old = self.member_raw(scope, id).await?;
        if !scope.sees_members_of(&old.org_path) {
            return Err(StoreError::NotFound);
        }
        let new_org = self.member_org(scope, m.org_id).await?;
        let old_id = self.crypto.open(&old.id_enc)?;
        let old_phone = old
            .phone_enc
            .as_deref()
            .map(|p| self.crypto.open(p))
            .transpose()?;
        let mut diff = Vec::new();
        let mut note = |label: &str, a: &str, b: &str| {
            if a != b {
                diff.push(format!(
                    "{label}：{} → {}",
                    if a.is_empty() { "（空）" } else { a },
                    if b.is_empty() { "（空）" } else { b }
                ));
            }
        };
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        note("姓名", &old.name, &m.name);
        note("所属组织", &old.org_name, &new_org.name);
        note(
            "党籍状态",
            PartyStatus::from_code(&old.status).map_or("", |s| s.label()),
            m.status.label(),
        );
        note(
            "入党日期",
            &o(&old.joined_on),
            &date(m.joined_on).unwrap_or_default(),
        );
        note(
            "转正日期",
            &o(&old.full_on),
            &date(m.full_on).unwrap_or_default(),
        );
        note(
            "业务部门",
            &o(&old.department),
            &m.department.clone().unwrap_or_default(),
        );
        note("岗位", &o(&old.post), &m.post.clone().unwrap_or_default());
        note(
            "党内职务",
            &o(&old.party_duty),
            &m.party_duty.clone().unwrap_or_default(),
        );
        let suspended = |on: bool| if on { "留党察看期间" } else { "否" };
        note(
            "留党察看",
            suspended(old.rights_suspended != 0),
            suspended(m.rights_suspended),
        );
        // Personal data: the history says that it changed, never the values.
        if old_id != m.id_number.as_str() {
            diff.push("身份证号：已修改".to_string());
        }
        if old_phone.as_deref() != m.phone.as_ref().map(Phone::as_str) {
            diff.push("手机号：已修改".to_string());
        }
        if diff.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        let res = sqlx::query(
            "UPDATE members SET org_id = $1, name = $2, gender = $3, birth_date = $4, id_enc = $5, \
             id_bidx = $6, phone_enc = $7, phone_bidx = $8, status = $9, joined_on = $10, \
             full_on = $11, department = $12, post = $13, party_duty = $14, updated_at = $15, \
             rights_suspended = $17 WHERE id = $16",
        )
        .bind(m.org_id)
        .bind(&m.name)
        .bind(m.gender.code())
        .bind(m.birth_date.to_string())
        .bind(self.crypto.seal(m.id_number.as_str()))
        .bind(self.crypto.blind_index("id", m.id_number.as_str()))
        .bind(m.phone.as_ref().map(|p| self.crypto.seal(p.as_str())))
        .bind(m.phone.as_ref().map(|p| self.crypto.blind_index("phone", p.as_str())))
        .bind(m.status.code())
        .bind(date(m.joined_on))
        .bind(date(m.full_on))
        .bind(m.department.clone())
        .bind(m.post.clone())
        .bind(m.party_duty.clone())
        .bind(now_ms())
        .bind(id)
        .bind(i64::from(m.rights_suspended))
        .execute(&mut *tx)
        .await;
        match res {
            Err(e) if StoreError::is_unique_violation(&e) => {
                return Err(StoreError::field(
                    "id_number",
                    "该身份证号已登记在另一名党员名下",
                ));
            }
            r => r?,
        };
        if old.active != 0 && (old.org_id != m.org_id || old.status != m.status.code()) {
            bump(&mut tx, old.org_id, &old.status, -1).await?;
            bump(&mut tx, m.org_id, m.status.code(), 1).await?;
        }
        if old.org_id != m.org_id {
            // A committee seat belongs to the organization, not to the person.
            sqlx::query("DELETE FROM committee_seats WHERE member_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        audit::change(
            &mut tx,
            actor,
            "member",
            id,
            &format!("{}：{}", m.name, diff.join("；")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a member as transferred out (组织关系转出); the record stays for the history.
    pub async fn member_transfer_out(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        on: ronghe_core::Date,
    ) -> StoreResult<()> {
        let old = self.member_raw(scope, id).await?;
        if !scope.sees_members_of(&old.org_path) {
            return Err(StoreError::NotFound);
        }
        if old.active == 0 {
            return Err(StoreError::field("left_on", "该党员已转出"));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE members SET active = 0, left_on = $1, updated_at = $2 WHERE id = $3")
            .bind(on.to_string())
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM committee_seats WHERE member_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        bump(&mut tx, old.org_id, &old.status, -1).await?;
        audit::change(
            &mut tx,
            actor,
            "member",
            id,
            &format!("{}：组织关系于 {on} 转出", old.name),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Keeps the per-organization counters that the formation rules read in step with the members.
pub(crate) async fn bump(
    conn: &mut AnyConnection,
    org_id: i64,
    status: &str,
    delta: i64,
) -> StoreResult<()> {
    let col = match status {
        "full" => "full_count",
        "probationary" => "probationary_count",
        _ => "other_count",
    };
    sqlx::query(&format!("UPDATE orgs SET {col} = {col} + $1 WHERE id = $2"))
        .bind(delta)
        .bind(org_id)
        .execute(conn)
        .await?;
    Ok(())
}

//! Members, generated on a blocking thread while the previous batch is written: unique ID
//! numbers and phones by construction, sealed and blind-indexed with the store's keys.

use super::*;

/// Members generated per batch, one INSERT's worth.
pub(super) const MEMBER_BATCH: usize = MemberRow::PER_INSERT;

pub(super) struct BranchRef {
    pub(super) org_id: i64,
    pub(super) flavor: Flavor,
    pub(super) counts: [u32; 4],
    pub(super) term_start: Date,
}

pub(super) struct MemberGen {
    pub(super) rng: StdRng,
    pub(super) crypto: Crypto,
    pub(super) names: NamePool,
    pub(super) branches: Vec<BranchRef>,
    /// Current branch and the index of the next member in it.
    pub(super) at: (usize, u32),
    pub(super) next_id: i64,
    pub(super) seats: Vec<SeatRow>,
}

/// Full members joined before this (a year's probation ends by the reference date).
pub(super) const LAST_FULL_JOIN: Date = match Date::from_ymd_opt(2025, 10, 31) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Region part of generated ID numbers: 310000 + id / 500, never the demo's 6501xx.
pub(super) const REGION_BASE: i64 = 310_000;
pub(super) const MAX_MEMBER_ID: i64 = (650_000 - REGION_BASE) * 500;

impl MemberGen {
    pub(super) fn batch(&mut self, max: usize) -> Vec<MemberRow> {
        let mut out = Vec::with_capacity(max);
        while out.len() < max && self.at.0 < self.branches.len() {
            let b = &self.branches[self.at.0];
            let total: u32 = b.counts.iter().sum();
            if self.at.1 >= total {
                self.at = (self.at.0 + 1, 0);
                continue;
            }
            let (i, mi) = self.at;
            self.at.1 += 1;
            let row = self.member(i, mi);
            out.push(row);
        }
        out
    }

    pub(super) fn member(&mut self, branch: usize, mi: u32) -> MemberRow {
        let b = &self.branches[branch];
        let [full, prob, other, _] = b.counts;
        let (org_id, flavor, term_start) = (b.org_id, b.flavor, b.term_start);
        // In order: full, probationary, others, transferred out (full members who left).
        let slot = if mi < full {
            0
        } else if mi < full + prob {
            1
        } else if mi < full + prob + other {
            2
        } else {
            3
        };
        let id = self.next_id;
        self.next_id += 1;
        let r = &mut self.rng;
        let gender = if r.gen_bool(flavor.female_share()) {
            Gender::Female
        } else {
            Gender::Male
        };
        let name = self.names.name(r, gender);
        let retired = matches!(slot, 0 | 3) && r.gen_bool(0.12);
        let birth = match slot {
            _ if retired => date_between(r, d(1940, 1, 1), d(1965, 12, 31)),
            0 | 3 => date_between(r, d(1966, 1, 1), d(2000, 12, 31)),
            1 => date_between(r, d(1990, 1, 1), d(2004, 6, 30)),
            _ => date_between(r, d(1995, 1, 1), d(2006, 6, 30)),
        };
        let (status, joined, full_on) = match slot {
            0 | 3 => {
                let joined = join_date(r, birth, 20, LAST_FULL_JOIN);
                ("full", Some(joined), Some(add_years(joined, 1)))
            }
            1 => (
                "probationary",
                Some(date_between(r, d(2025, 12, 1), d(2026, 10, 31))),
                None,
            ),
            _ => (
                ["activist", "activist", "candidate", "applicant"][r.gen_range(0..4)],
                None,
                None,
            ),
        };
        let (depts, posts) = flavor.work();
        let (department, post) = if retired {
            (None, Some("退休"))
        } else {
            let p = r.gen_range(0..posts.len()).min(r.gen_range(0..posts.len()));
            (Some(depts[r.gen_range(0..depts.len())]), Some(posts[p]))
        };
        let (active, left_on) = if slot == 3 {
            let from = full_on.unwrap_or(d(2023, 1, 1)).max(d(2023, 1, 1));
            (0, Some(date_between(r, from, d(2026, 11, 20)).to_string()))
        } else {
            (1, None)
        };
        let since = term_start.to_string();
        let party_duty = match mi {
            0 if full >= 1 => {
                self.seats.push(SeatRow {
                    org_id,
                    member_id: id,
                    role: "secretary",
                    duty: "主持全面工作",
                    since,
                });
                Some("党支部书记")
            }
            1 | 2 if full >= 7 => {
                let duty = if mi == 1 {
                    "组织委员"
                } else {
                    "宣传委员"
                };
                self.seats.push(SeatRow {
                    org_id,
                    member_id: id,
                    role: "member",
                    duty,
                    since,
                });
                Some(duty)
            }
            _ => None,
        };
        // Unique by construction: the member id decides the region code and the sequence
        // (its parity is the gender), the random birth date only adds realism.
        let region = (REGION_BASE + id / 500).to_string();
        let seq = (id % 500) as u16 * 2 + u16::from(gender == Gender::Male);
        let id_number = IdNumber::generate(&region, birth, seq);
        // A bijection of the id onto 9 digits keeps phones unique without looking sequential.
        let phone = format!("19{:09}", (id * 7_654_321 + 123_456_789) % 1_000_000_000);
        let c = &self.crypto;
        MemberRow {
            id,
            org_id,
            name,
            gender: gender.code(),
            birth_date: birth.to_string(),
            id_enc: c.seal(id_number.as_str()),
            id_bidx: c.blind_index("id", id_number.as_str()),
            phone_enc: c.seal(&phone),
            phone_bidx: c.blind_index("phone", &phone),
            status,
            joined_on: joined.map(|d| d.to_string()),
            full_on: full_on.map(|d| d.to_string()),
            department,
            post,
            party_duty,
            active,
            left_on,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_people_are_valid_and_unique() {
        let mut g = MemberGen {
            rng: StdRng::seed_from_u64(1),
            crypto: Crypto::from_master(&[1; 32]),
            names: NamePool::new(),
            branches: vec![BranchRef {
                org_id: 1,
                flavor: Flavor::School,
                counts: [800, 100, 80, 20],
                term_start: d(2025, 1, 1),
            }],
            at: (0, 0),
            next_id: 499_000,
            seats: Vec::new(),
        };
        let rows = g.batch(2000);
        assert_eq!(rows.len(), 1000);
        let mut ids = HashSet::new();
        for m in &rows {
            let id = IdNumber::parse(&g.crypto.open(&m.id_enc).unwrap()).unwrap();
            assert_eq!(id.birth_date().to_string(), m.birth_date);
            assert_eq!(id.gender().code(), m.gender);
            assert!(!id.as_str().starts_with("6501"));
            assert!(ids.insert(id.as_str().to_string()));
            let phone = g.crypto.open(&m.phone_enc).unwrap();
            assert!(ronghe_core::phone::Phone::parse(&phone)
                .unwrap()
                .is_mobile());
            if let Some(j) = &m.joined_on {
                let j: Date = j.parse().unwrap();
                assert!(j >= add_years(id.birth_date(), 18));
            }
        }
        assert_eq!(g.seats.len(), 3);
        assert_eq!(rows.iter().filter(|m| m.active == 0).count(), 20);
    }
}

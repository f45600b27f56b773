//! The plan: every organization in pre-order (parents before children), with member counts,
//! in the national proportions.

use super::*;

pub(super) struct Node {
    pub(super) parent: Option<usize>,
    pub(super) kind: OrgKind,
    pub(super) name: String,
    pub(super) unit: usize,
    pub(super) founded: Date,
    pub(super) term_start: Date,
    pub(super) term_years: u8,
    /// Branches only: active full, probationary, other (on the way in), transferred out.
    pub(super) counts: [u32; 4],
}

pub(super) struct Unit {
    pub(super) name: String,
    pub(super) flavor: Flavor,
}

pub(super) struct Planner {
    pub(super) rng: StdRng,
    pub(super) nodes: Vec<Node>,
    pub(super) units: Vec<Unit>,
    pub(super) unit_names: HashSet<String>,
    pub(super) mean_size: f64,
}

/// Counts for one 基层党委's subtree.
pub(super) struct Grassroots {
    /// Branches under each of its 党总支.
    pub(super) general: Vec<usize>,
    pub(super) direct: usize,
}

impl Planner {
    pub(super) fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Founded within 20 years after the parent (roots 1949–1985), never after the term began.
    pub(super) fn founded(&mut self, parent: Option<usize>, term_start: Date) -> Date {
        let (from, to) = match parent {
            None => (d(1949, 10, 1), d(1985, 12, 31)),
            Some(p) => {
                let from = self.nodes[p].founded;
                (from, add_years(from, 20).min(d(2024, 12, 31)))
            }
        };
        date_between(&mut self.rng, from, to.max(from)).min(term_start)
    }

    /// Term start: mostly current, some ending soon, about one in ten expired.
    pub(super) fn term_start(&mut self, years: u8, village: bool) -> Date {
        let r = &mut self.rng;
        if village {
            // Villages and communities re-elected together in early 2026 (5-year terms).
            return if r.gen_bool(0.85) {
                date_between(r, d(2026, 1, 10), d(2026, 6, 30))
            } else {
                date_between(r, d(2021, 3, 1), d(2021, 12, 31))
            };
        }
        let current_from = REFERENCE
            .checked_sub_months(chrono::Months::new(u32::from(years) * 12))
            .unwrap_or(REFERENCE)
            + chrono::Days::new(1);
        if r.gen_bool(0.9) {
            date_between(r, current_from, REFERENCE - chrono::Days::new(60))
        } else {
            date_between(r, current_from - chrono::Days::new(700), current_from)
        }
    }

    pub(super) fn unit(&mut self, name: String, flavor: Flavor) -> usize {
        self.units.push(Unit { name, flavor });
        self.units.len() - 1
    }

    /// A unit name not used before in the province, of the flavor drawn (or a town).
    pub(super) fn unit_name(&mut self, place: &str, city_level: bool) -> (String, Flavor) {
        let r: f64 = self.rng.gen();
        let mut flavor = match r {
            _ if r < 0.22 => Flavor::Agency,
            _ if r < 0.35 => Flavor::Town,
            _ if r < 0.60 => Flavor::School,
            _ if r < 0.65 => Flavor::Research,
            _ if r < 0.87 => Flavor::Enterprise,
            _ => Flavor::Public,
        };
        for attempt in 0..200 {
            if attempt == 20 {
                // The lists of this flavor are used up here: towns and schools never run out.
                flavor = if flavor == Flavor::School {
                    Flavor::Town
                } else {
                    Flavor::School
                };
            }
            let rng = &mut self.rng;
            let name = match flavor {
                Flavor::Agency => format!("{place}{}", BUREAUS.choose(rng).expect("list")),
                Flavor::Town if city_level => {
                    format!("{place}{}街道", COMMUNITIES.choose(rng).expect("list"))
                }
                Flavor::Town => format!("{place}{}镇", two_chars(rng, TOWN_1, TOWN_2)),
                Flavor::School => {
                    let n = rng.gen_range(1..=60);
                    match rng.gen_range(0..10) {
                        0 => format!("{place}实验中学"),
                        1 => format!("{place}职业技术学校"),
                        2..=5 => format!("{place}第{}中学", cn(n)),
                        _ => format!("{place}第{}小学", cn(n)),
                    }
                }
                Flavor::Research => format!("{place}{}", INSTITUTES.choose(rng).expect("list")),
                Flavor::Enterprise => format!(
                    "{place}{}{}",
                    two_chars_pair(rng, FIRMS),
                    INDUSTRIES.choose(rng).expect("list")
                ),
                Flavor::Public => format!("{place}{}", HOSPITALS.choose(rng).expect("list")),
            };
            if self.unit_names.insert(name.clone()) {
                return (name, flavor);
            }
        }
        let n = self.units.len();
        (format!("{place}第{n}中学"), Flavor::School)
    }

    /// A branch with its member counts drawn.
    pub(super) fn branch(&mut self, parent: usize, name: String, unit: usize, village: bool) {
        let r = &mut self.rng;
        let z: f64 = ((0..4).map(|_| r.gen::<f64>()).sum::<f64>() - 2.0) * 3f64.sqrt();
        let size = (self.mean_size + 8.0 * z).round().clamp(5.0, 45.0) as u32;
        let mut counts = [0u32; 4];
        for _ in 0..size {
            let x: f64 = r.gen();
            let slot = match x {
                _ if x < 0.02 => 3,
                _ if x < 0.87 => 0,
                _ if x < 0.92 => 1,
                _ => 2,
            };
            counts[slot] += 1;
        }
        let years = if village { 5 } else { 3 };
        let term_start = self.term_start(years, village);
        let founded = self.founded(Some(parent), term_start);
        self.push(Node {
            parent: Some(parent),
            kind: OrgKind::Branch,
            name,
            unit,
            founded,
            term_start,
            term_years: years,
            counts,
        });
    }

    /// A committee-like node (市委, 县委, 基层党委, 党总支) without members of its own.
    pub(super) fn inner(
        &mut self,
        parent: Option<usize>,
        kind: OrgKind,
        name: String,
        unit: usize,
    ) -> usize {
        let years = kind.default_term_years();
        let term_start = self.term_start(years, false);
        let founded = self.founded(parent, term_start);
        self.push(Node {
            parent,
            kind,
            name,
            unit,
            founded,
            term_start,
            term_years: years,
            counts: [0; 4],
        })
    }

    /// A name from `list` not yet in `used`, else a numbered one.
    pub(super) fn child_name(
        &mut self,
        list: &[&str],
        used: &mut HashSet<String>,
        numbered: &str,
    ) -> String {
        for _ in 0..6 {
            let Some(name) = list.choose(&mut self.rng) else {
                break;
            };
            if used.insert(name.to_string()) {
                return name.to_string();
            }
        }
        for n in 1.. {
            let name = format!("第{}{numbered}", cn(n));
            if used.insert(name.clone()) {
                return name;
            }
        }
        unreachable!("an unused number exists")
    }

    /// A village or community branch name unused under this committee.
    pub(super) fn village_name(&mut self, used: &mut HashSet<String>, city_level: bool) -> String {
        for _ in 0..50 {
            let name = if city_level || self.rng.gen_bool(0.25) {
                let a = COMMUNITIES.choose(&mut self.rng).expect("list");
                let n = self.rng.gen_range(1..=9);
                if n == 1 {
                    format!("{a}社区党支部")
                } else {
                    format!("{a}{}社区党支部", cn(n))
                }
            } else {
                format!("{}村党支部", two_chars(&mut self.rng, VILLAGE_1, VILLAGE_2))
            };
            if used.insert(name.clone()) {
                return name;
            }
        }
        self.child_name(&[], used, "村党支部")
    }

    /// A 基层党委 with its 党总支 and branches.
    pub(super) fn grassroots(
        &mut self,
        parent: usize,
        place: &str,
        city_level: bool,
        g: &Grassroots,
    ) {
        let (unit_name, flavor) = self.unit_name(place, city_level);
        let suffix = match flavor {
            Flavor::Agency => "机关党委",
            Flavor::Town if city_level => "党工委",
            _ => "党委",
        };
        let name = format!("{unit_name}{suffix}");
        let unit = self.unit(unit_name, flavor);
        let committee = self.inner(Some(parent), OrgKind::Committee, name, unit);
        let mut used = HashSet::new();
        for &n in &g.general {
            let name = self.child_name(flavor.general_branches(), &mut used, "党总支");
            let gb = self.inner(Some(committee), OrgKind::GeneralBranch, name, unit);
            for i in 1..=n {
                let village = flavor == Flavor::Town && self.rng.gen_bool(0.8);
                let name = if village {
                    self.village_name(&mut used, city_level)
                } else {
                    format!("第{}党支部", cn(i))
                };
                self.branch(gb, name, unit, village);
            }
        }
        for _ in 0..g.direct {
            let village = flavor == Flavor::Town && self.rng.gen_bool(0.9);
            let name = if village {
                self.village_name(&mut used, city_level)
            } else {
                self.child_name(flavor.branches(), &mut used, "党支部")
            };
            self.branch(committee, name, unit, village);
        }
    }
}

/// Draws `weights.len()`-way counts summing to `n`, proportional to `weights`.
pub(super) fn spread(rng: &mut StdRng, n: usize, weights: &[f64]) -> Vec<usize> {
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut total = 0.0;
    for w in weights {
        total += w;
        cumulative.push(total);
    }
    let mut out = vec![0; weights.len()];
    for _ in 0..n {
        let x = rng.gen::<f64>() * total;
        let i = cumulative.partition_point(|&c| c <= x).min(out.len() - 1);
        out[i] += 1;
    }
    out
}

pub(super) fn plan(shape: &Shape, seed: u64) -> Planner {
    let mut rng = StdRng::seed_from_u64(seed);
    // National proportions of 基层党委 : 总支 : 支部.
    let committees = (shape.orgs * 306 + 2625) / 5250;
    let generals = (shape.orgs * 330 + 2625) / 5250;
    let branches = shape.orgs - committees - generals;
    let places = shape.cities * (1 + shape.counties);
    let grassroots_n = committees.saturating_sub(places).max(1);

    // 基层党委 per place (a city itself, or one of its counties): every county gets one, a
    // quarter of the rest are city-level (市直), the others spread over the counties.
    let mut per_place = vec![0usize; places];
    let mut left = grassroots_n;
    for c in 0..shape.cities {
        for k in 1..=shape.counties {
            if left > 0 {
                per_place[c * (1 + shape.counties) + k] += 1;
                left -= 1;
            }
        }
    }
    for _ in 0..left {
        let c = rng.gen_range(0..shape.cities);
        let k = if shape.counties == 0 || rng.gen_bool(0.25) {
            0
        } else {
            rng.gen_range(1..=shape.counties)
        };
        per_place[c * (1 + shape.counties) + k] += 1;
    }

    // 党总支 per 基层党委 (heavy-tailed: big units have several), 2–7 branches each; the rest
    // of the branches directly under the 基层党委, at least one each.
    let weights: Vec<f64> = (0..grassroots_n)
        .map(|_| 0.3 + 5.0 * rng.gen::<f64>().powi(3))
        .collect();
    let generals_of = spread(&mut rng, generals, &weights);
    let mut under_general: Vec<usize> = (0..generals).map(|_| rng.gen_range(2..=7)).collect();
    let budget = branches.saturating_sub(grassroots_n);
    let mut sum: usize = under_general.iter().sum();
    let mut i = 0;
    while sum > budget && under_general.iter().any(|&n| n > 1) {
        if under_general[i] > 1 {
            under_general[i] -= 1;
            sum -= 1;
        }
        i = (i + 1) % under_general.len();
    }
    let direct_extra = spread(
        &mut rng,
        branches.saturating_sub(grassroots_n + sum),
        &weights,
    );
    let mut next_general = 0;
    let subtrees: Vec<Grassroots> = (0..grassroots_n)
        .map(|j| {
            let general = under_general[next_general..next_general + generals_of[j]].to_vec();
            next_general += generals_of[j];
            Grassroots {
                general,
                direct: 1 + direct_extra[j],
            }
        })
        .collect();

    let mut p = Planner {
        rng,
        nodes: Vec::with_capacity(shape.orgs),
        units: Vec::new(),
        unit_names: HashSet::new(),
        mean_size: shape.members as f64 / branches.max(1) as f64,
    };
    let mut next = subtrees.iter();
    let mut county_names: Vec<&str> = COUNTIES.to_vec();
    for c in 0..shape.cities {
        let city = match CITIES.get(c) {
            Some(n) => format!("{n}市"),
            None => format!("第{}市", cn(c + 1)),
        };
        county_names.shuffle(&mut p.rng);
        let (root_name, root_unit) = if shape.counties == 0 {
            let county = format!("{city}{}", county_names[0]);
            (format!("{}委", county_names[0]), county)
        } else {
            (format!("{city}委"), city.clone())
        };
        let unit = p.unit(root_unit.clone(), Flavor::Agency);
        let root = p.inner(None, OrgKind::Committee, root_name, unit);
        let place = if shape.counties == 0 {
            county_names[0]
        } else {
            city.as_str()
        };
        let place = place.to_string();
        for _ in 0..per_place[c * (1 + shape.counties)] {
            let g = next.next().expect("one plan per 基层党委");
            p.grassroots(root, &place, shape.counties > 0, g);
        }
        for k in 1..=shape.counties {
            let county = county_names
                .get(k - 1)
                .map_or_else(|| format!("第{}县", cn(k)), |s| s.to_string());
            let unit = p.unit(format!("{city}{county}"), Flavor::Agency);
            let cnode = p.inner(Some(root), OrgKind::Committee, format!("{county}委"), unit);
            let place = format!("{city}{county}");
            for _ in 0..per_place[c * (1 + shape.counties) + k] {
                let g = next.next().expect("one plan per 基层党委");
                p.grassroots(cnode, &place, false, g);
            }
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_follow_national_proportions() {
        for preset in Preset::ALL {
            let shape = preset.shape();
            let p = plan(&shape, 7);
            assert_eq!(p.nodes.len(), shape.orgs, "{preset:?}");
            let count = |k: OrgKind| p.nodes.iter().filter(|n| n.kind == k).count();
            let (c, g, b) = (
                count(OrgKind::Committee),
                count(OrgKind::GeneralBranch),
                count(OrgKind::Branch),
            );
            assert!((c as f64 / shape.orgs as f64 - 306.0 / 5250.0).abs() < 0.01);
            assert!((g as f64 / shape.orgs as f64 - 330.0 / 5250.0).abs() < 0.01);
            assert_eq!(c + g + b, shape.orgs);
            for (i, n) in p.nodes.iter().enumerate() {
                if let Some(parent) = n.parent {
                    assert!(parent < i, "parents come first");
                    assert!(p.nodes[parent].kind.may_contain(n.kind));
                }
                let size: u32 = n.counts.iter().sum();
                assert!(n.kind != OrgKind::Branch || (5..=45).contains(&size));
            }
            if preset != Preset::Province {
                let members: u32 = p.nodes.iter().flat_map(|n| n.counts).sum();
                let ratio = f64::from(members) / shape.members as f64;
                assert!((0.95..1.05).contains(&ratio), "{preset:?}: {members}");
            }
        }
    }
}

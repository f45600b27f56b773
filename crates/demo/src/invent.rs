//! Invented people, shared by the demo and the synthetic generator: names drawn from common
//! surnames and given-name characters, and the dates of a life.

use rand::Rng;
use ronghe_core::member::Gender;
use ronghe_core::Date;

/// Common surnames, roughly by frequency: earlier ones are drawn more often.
pub(crate) const SURNAMES: &str = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

const MALE_FIRST: &str = "志建国文明海俊浩立晓振宏永子宇家天春嘉卫";
const MALE_SECOND: &str = "强国涛博轩杰然辉栋新东华伟刚峰平军鹏飞宁";
const MALE_SINGLE: &str = "伟强磊军勇杰涛斌超鹏辉宇凯健峰亮斌波毅刚";
const FEMALE_FIRST: &str = "秀丽晓静雨欣婷海春玉思佳雅梦淑慧美晶金紫";
const FEMALE_SECOND: &str = "英华燕怡桐然婷娟梅兰琪慧琴瑶芳敏静霞玲萱";
const FEMALE_SINGLE: &str = "芳娜敏静丽艳娟霞玲婷雪颖慧琳倩洁红萍莉蓉";

/// The name lists as characters, for drawing many names quickly.
pub(crate) struct NamePool {
    surnames: Vec<char>,
    male: [Vec<char>; 3],
    female: [Vec<char>; 3],
}

impl NamePool {
    pub(crate) fn new() -> Self {
        let v = |s: &str| s.chars().collect::<Vec<char>>();
        NamePool {
            surnames: v(SURNAMES),
            male: [v(MALE_FIRST), v(MALE_SECOND), v(MALE_SINGLE)],
            female: [v(FEMALE_FIRST), v(FEMALE_SECOND), v(FEMALE_SINGLE)],
        }
    }

    /// An invented name: a surname (common ones more often) and a 1–2 character given name.
    pub(crate) fn name(&self, rng: &mut impl Rng, gender: Gender) -> String {
        let n = self.surnames.len();
        // The smaller of two uniform draws favours the front of the list.
        let i = rng.gen_range(0..n).min(rng.gen_range(0..n));
        let [first, second, single] = match gender {
            Gender::Male => &self.male,
            Gender::Female => &self.female,
        };
        let mut name = String::with_capacity(9);
        name.push(self.surnames[i]);
        if rng.gen_bool(0.3) {
            name.push(single[rng.gen_range(0..single.len())]);
        } else {
            name.push(first[rng.gen_range(0..first.len())]);
            name.push(second[rng.gen_range(0..second.len())]);
        }
        name
    }
}

/// A uniformly random date in `[from, to]`.
pub(crate) fn date_between(rng: &mut impl Rng, from: Date, to: Date) -> Date {
    let days = (to - from).num_days().max(0);
    from + chrono::Days::new(rng.gen_range(0..=days) as u64)
}

/// A join date at `min_age` to 35 years of age (fewer when that would pass `latest`).
pub(crate) fn join_date(rng: &mut impl Rng, birth: Date, min_age: u32, latest: Date) -> Date {
    let max_age = latest.years_since(birth).unwrap_or(0).clamp(min_age, 35);
    let joined = add_years(birth, rng.gen_range(min_age..=max_age))
        + chrono::Days::new(rng.gen_range(0..365));
    joined.min(latest)
}

pub(crate) fn add_years(d: Date, years: u32) -> Date {
    d.checked_add_months(chrono::Months::new(years * 12))
        .unwrap_or(d)
}

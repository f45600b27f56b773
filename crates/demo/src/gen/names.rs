//! Names of the generated units and organizations, and what each kind of unit works on.

use super::*;

#[rustfmt::skip]
pub(super) const CITIES: &[&str] = &[
    "东川", "西岭", "南湖", "北原", "青山", "白河", "金州", "玉泉", "长林", "安澜", "临江", "云台",
    "宁远", "嘉禾", "丰源", "平川",
];
#[rustfmt::skip]
pub(super) const COUNTIES: &[&str] = &[
    "城东区", "城西区", "新华区", "清河县", "石门县", "河口县", "龙泉县", "柳林县", "桃源县",
    "永安县", "富民县", "兴隆县", "双峰县", "三江县", "高平县", "阳谷县",
];
#[rustfmt::skip]
pub(super) const BUREAUS: &[&str] = &[
    "教育局", "财政局", "公安局", "交通运输局", "农业农村局", "自然资源局", "生态环境局",
    "住房和城乡建设局", "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局", "民政局",
    "水利局", "文化和旅游局", "统计局", "审计局", "应急管理局", "商务局", "司法局",
    "发展和改革委员会", "工业和信息化局", "退役军人事务局", "医疗保障局", "林业和草原局", "体育局",
    "信访局", "机关事务管理局", "政务服务中心",
];
#[rustfmt::skip]
pub(super) const INSTITUTES: &[&str] = &[
    "农业科学研究院", "计量测试研究院", "环境科学研究院", "林业科学研究所",
    "水利水电勘测设计研究院", "建筑科学研究院", "质量技术监督检验所", "气象科学研究所",
    "社会科学院", "畜牧兽医研究所", "地质调查研究院", "标准化研究院", "食品药品检验研究院",
    "特种设备检验研究院",
];
#[rustfmt::skip]
pub(super) const HOSPITALS: &[&str] = &[
    "人民医院", "中医医院", "妇幼保健院", "疾病预防控制中心", "图书馆", "博物馆", "广播电视台",
    "中心血站", "急救中心", "社会福利院", "精神卫生中心", "口腔医院",
];
pub(super) const FIRMS: &str = "华盛恒通宏达鑫源永泰金鼎瑞丰长兴盛世天成汇通博远";
#[rustfmt::skip]
pub(super) const INDUSTRIES: &[&str] = &[
    "建设集团有限公司", "能源有限公司", "交通投资集团有限公司", "水务集团有限公司",
    "机械制造有限公司", "化工有限公司", "纺织有限公司", "食品有限公司", "电力有限公司",
    "物流有限公司", "燃气有限公司", "城市建设投资集团有限公司", "农业发展有限公司",
    "文化旅游集团有限公司", "医药有限公司", "电子科技有限公司",
];
pub(super) const TOWN_1: &str = "龙凤马石金白青黑双三柳桃杏梨安永兴太平长";
pub(super) const TOWN_2: &str = "泉山河桥集湖口门坪铺塘岭台川沟源湾堡店庄";
pub(super) const VILLAGE_1: &str = "东西南北前后上下大小新老高李王张刘陈杨赵";
pub(super) const VILLAGE_2: &str = "庄营屯堡湾岗河沟坪坝桥店集寨岭山园林洼坡";
#[rustfmt::skip]
pub(super) const COMMUNITIES: &[&str] = &[
    "和平", "幸福", "阳光", "光明", "朝阳", "滨河", "锦绣", "花园", "翠苑", "春晖", "育才", "文化",
    "建设", "新华", "长安", "北苑", "东城", "南门", "西关", "康乐",
];

/// What kind of work a unit does: decides names, departments and posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    Agency,
    /// A town (镇) or street (街道): villages and communities below.
    Town,
    School,
    Research,
    Enterprise,
    /// Hospitals and other public institutions (事业单位).
    Public,
}

impl Flavor {
    pub(super) fn unit_kind(self) -> UnitKind {
        match self {
            Self::Agency | Self::Town => UnitKind::Agency,
            Self::School => UnitKind::School,
            Self::Research => UnitKind::Research,
            Self::Enterprise => UnitKind::Enterprise,
            Self::Public => UnitKind::Other,
        }
    }

    pub(super) fn female_share(self) -> f64 {
        match self {
            Self::School | Self::Public => 0.6,
            Self::Agency | Self::Research => 0.4,
            Self::Town => 0.35,
            Self::Enterprise => 0.3,
        }
    }

    #[rustfmt::skip]
    pub(super) fn general_branches(self) -> &'static [&'static str] {
        match self {
            Self::Agency => &[
                "执法大队党总支", "直属事业单位党总支", "综合业务党总支", "离退休干部党总支",
                "机关服务中心党总支",
            ],
            Self::Town => &[
                "机关党总支", "东片区党总支", "西片区党总支", "南片区党总支", "北片区党总支",
                "中心片区党总支", "非公企业党总支",
            ],
            Self::School => &[
                "初中部党总支", "高中部党总支", "小学部党总支", "教学党总支", "行政后勤党总支",
                "离退休教职工党总支",
            ],
            Self::Research => &[
                "第一研究所党总支", "第二研究所党总支", "检测中心党总支", "试验基地党总支",
                "科研管理党总支",
            ],
            Self::Enterprise => &[
                "第一分公司党总支", "第二分公司党总支", "第三分公司党总支", "生产运营党总支",
                "营销中心党总支", "机关党总支", "项目部党总支",
            ],
            Self::Public => &[
                "内科党总支", "外科党总支", "医技党总支", "门诊党总支", "机关后勤党总支",
            ],
        }
    }

    #[rustfmt::skip]
    pub(super) fn branches(self) -> &'static [&'static str] {
        match self {
            Self::Agency => &[
                "办公室党支部", "机关第一党支部", "机关第二党支部", "机关第三党支部",
                "政策法规科党支部", "财务科党支部", "人事科党支部", "业务一科党支部",
                "业务二科党支部", "执法大队党支部", "直属单位党支部", "离退休干部党支部",
            ],
            // Villages and communities are named on the fly.
            Self::Town => &["镇机关党支部"],
            Self::School => &[
                "高一年级党支部", "高二年级党支部", "高三年级党支部", "初一年级党支部",
                "初二年级党支部", "初三年级党支部", "语文教研组党支部", "数学教研组党支部",
                "外语教研组党支部", "理化生教研组党支部", "行政党支部", "后勤党支部",
                "退休教职工党支部",
            ],
            Self::Research => &[
                "检测中心党支部", "第一研究室党支部", "第二研究室党支部", "第三研究室党支部",
                "质量管理部党支部", "科研管理部党支部", "综合办公室党支部", "试验基地党支部",
                "离退休党支部",
            ],
            Self::Enterprise => &[
                "一车间党支部", "二车间党支部", "三车间党支部", "技术中心党支部", "销售部党支部",
                "财务部党支部", "安全环保部党支部", "综合管理部党支部", "物流中心党支部",
                "项目部党支部", "离退休党支部",
            ],
            Self::Public => &[
                "内科党支部", "外科党支部", "儿科党支部", "妇产科党支部", "护理党支部",
                "医技党支部", "药剂科党支部", "门诊党支部", "行政后勤党支部", "离退休党支部",
            ],
        }
    }

    /// Departments and posts of members; the last post is the leading one (rarer).
    #[rustfmt::skip]
    pub(super) fn work(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Self::Agency => (
                &["办公室", "政策法规科", "综合科", "财务科", "人事科", "业务一科", "业务二科",
                  "执法大队"],
                &["科员", "一级主任科员", "四级调研员", "副科长", "科长"],
            ),
            Self::Town => (
                &["村民委员会", "居民委员会", "镇政府", "村集体经济合作社"],
                &["村民", "居民", "个体经营者", "网格员", "村（社区）干部"],
            ),
            Self::School => (
                &["语文组", "数学组", "英语组", "物理组", "化学组", "生物组", "政治组", "历史组",
                  "地理组", "体育组", "教务处", "德育处", "总务处"],
                &["教师", "班主任", "干事", "教研组长", "年级组长"],
            ),
            Self::Research => (
                &["研究室", "检测中心", "质量管理部", "科研管理部", "办公室"],
                &["助理研究员", "工程师", "检定员", "副研究员", "高级工程师", "研究员"],
            ),
            Self::Enterprise => (
                &["生产部", "技术部", "销售部", "财务部", "综合管理部", "安全环保部", "一车间",
                  "二车间"],
                &["操作工", "技术员", "会计", "工程师", "班组长", "部门经理"],
            ),
            Self::Public => (
                &["内科", "外科", "儿科", "护理部", "医务科", "药剂科", "检验科", "办公室"],
                &["护士", "护师", "医师", "药师", "干事", "主治医师", "副主任医师"],
            ),
        }
    }
}

/// Chinese numerals for 1..=99 (larger numbers as digits).
pub(super) fn cn(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[n - 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", D[n / 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

pub(super) fn nth_char(s: &str, i: usize) -> char {
    s.chars().nth(i).unwrap_or('新')
}

pub(super) fn two_chars(rng: &mut StdRng, a: &str, b: &str) -> String {
    let (na, nb) = (a.chars().count(), b.chars().count());
    let mut s = String::new();
    s.push(nth_char(a, rng.gen_range(0..na)));
    s.push(nth_char(b, rng.gen_range(0..nb)));
    s
}

pub(super) fn two_chars_pair(rng: &mut StdRng, pairs: &str) -> String {
    // `pairs` holds two-character words back to back.
    let chars: Vec<char> = pairs.chars().collect();
    let i = rng.gen_range(0..chars.len() / 2) * 2;
    chars[i..i + 2].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        let got: Vec<String> = [1, 10, 11, 20, 21, 99, 100].map(cn).to_vec();
        assert_eq!(got, ["一", "十", "十一", "二十", "二十一", "九十九", "100"]);
    }
}

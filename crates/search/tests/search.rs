//! Chinese search over cases: words found apart, snippets highlighted, filters, visibility,
//! related cases by content.

use ronghe_search::{CaseDoc, CaseIndex, Readers, SearchQuery};

fn corpus() -> Vec<CaseDoc> {
    vec![
        CaseDoc {
            id: 1,
            title: "以计量先锋岗带动检定能力提升".into(),
            summary: "检定校准党支部的做法".into(),
            body: "支部把检定任务分解到党员责任区，每月例会通报进度。一年来，检定及时率由百分之九十一提高到九十八。".into(),
            tags: vec!["党建+计量".into()],
            org_name: "检定校准党支部".into(),
            org_ids: vec![1, 3, 4],
            year: 2026,
            reach_all: false,
            publisher_id: 1,
            published_at: 300,
            ..Default::default()
        },
        CaseDoc {
            id: 2,
            title: "党建引领课堂教学改革".into(),
            summary: "高一年级党支部".into(),
            body: "党员教师结对帮扶青年教师，集体备课，课堂教学质量明显提升。".into(),
            tags: vec!["党建+教学".into()],
            org_name: "高一年级党支部".into(),
            org_ids: vec![7, 8],
            year: 2025,
            reach_all: true,
            publisher_id: 7,
            published_at: 200,
            ..Default::default()
        },
        CaseDoc {
            id: 3,
            title: "科研攻关突击队助力计量标准建设".into(),
            summary: "科研质量党支部".into(),
            body: "组建党员突击队，承担计量标准建设任务，检定装置按期建成。".into(),
            tags: vec!["党建+科研".into(), "党建+计量".into()],
            org_name: "科研质量党支部".into(),
            org_ids: vec![1, 3, 5],
            year: 2026,
            reach_all: false,
            publisher_id: 3,
            published_at: 400,
            ..Default::default()
        },
    ]
}

fn pub_only(publishers: &[i64]) -> Readers {
    Readers {
        publishers: publishers.to_vec(),
        ..Default::default()
    }
}

fn q(text: &str, publishers: &[i64]) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        readers: pub_only(publishers),
        limit: 10,
        ..Default::default()
    }
}

#[test]
fn two_words_found_apart_with_a_highlighted_snippet() {
    let ix = CaseIndex::open(None).unwrap();
    ix.apply(&corpus(), &[]).unwrap();
    assert_eq!(ix.len(), 3);
    // "责任区" and "及时率" stand apart in case 1.
    let hits = ix.search(&q("责任区 及时率", &[1])).unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1]);
    assert!(
        hits[0].snippet.contains("<b>责任区</b>"),
        "{}",
        hits[0].snippet
    );
    // Query syntax in the text is just text.
    assert!(ix.search(&q("title:检定 OR (", &[1, 3])).is_ok());
}

#[test]
fn nobody_finds_what_they_could_not_open() {
    let ix = CaseIndex::open(None).unwrap();
    ix.apply(&corpus(), &[]).unwrap();
    // A reader of 十二中 (under 7) sees the deployment-wide case only.
    let ids = |p: &[i64]| {
        let mut v: Vec<i64> = ix
            .search(&q("党员", p))
            .unwrap()
            .iter()
            .map(|h| h.id)
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(&[7, 8]), vec![2]);
    // Under 研究院党总支 (3) of 机关党委 (1): both of theirs, and the deployment-wide one.
    assert_eq!(ids(&[1, 3, 4]), vec![1, 2, 3]);
    // Under 机关党委 but not 党总支: case 3 was published to 党总支's subtree only.
    assert_eq!(ids(&[1, 2]), vec![1, 2]);
}

#[test]
fn filters_sorting_removal_and_related_cases() {
    let ix = CaseIndex::open(None).unwrap();
    ix.apply(&corpus(), &[]).unwrap();
    let all = [1, 3, 7];
    let by = |mut s: SearchQuery| {
        ix.search({
            s.readers = pub_only(&all);
            &s.clone()
        })
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        by(SearchQuery {
            tag: Some("党建+计量".into()),
            ..q("检定", &[])
        })
        .len(),
        2
    );
    assert_eq!(
        by(SearchQuery {
            year: Some(2025),
            ..q("党员", &[])
        }),
        vec![2]
    );
    assert_eq!(
        by(SearchQuery {
            within_org: Some(3),
            ..q("党员", &[])
        })
        .len(),
        2
    );
    assert_eq!(
        by(SearchQuery {
            by_date: true,
            ..q("党员", &[])
        }),
        vec![3, 1, 2]
    );
    // Related by content: the other 计量 case first (among enough cases for words to be rare).
    let filler: Vec<CaseDoc> = [
        "社区志愿服务进楼栋",
        "食品安全监管进市场",
        "青年理论学习小组",
        "窗口服务好差评",
        "廉政教育基地参观",
        "老党员口述历史",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| CaseDoc {
        id: 10 + i as i64,
        title: (*t).into(),
        body: format!("{t}，支部组织开展，群众反映良好。"),
        reach_all: true,
        publisher_id: 7,
        ..Default::default()
    })
    .collect();
    ix.apply(&filler, &[]).unwrap();
    let rel = ix.related(1, &pub_only(&all), 5).unwrap();
    assert_eq!(rel.first().map(|h| h.id), Some(3));
    assert!(rel.iter().all(|h| h.id != 1));
    // Taken down: gone from search.
    ix.apply(&[], &[1]).unwrap();
    assert_eq!(by(q("责任区", &[])), Vec::<i64>::new());
}

#[test]
fn an_index_on_disk_reopens_with_its_cases() {
    let dir = tempfile::tempdir().unwrap();
    {
        let ix = CaseIndex::open(Some(dir.path())).unwrap();
        ix.apply(&corpus(), &[]).unwrap();
    }
    let ix = CaseIndex::open(Some(dir.path())).unwrap();
    assert_eq!(ix.len(), 3);
    assert_eq!(ix.search(&q("突击队", &[3])).unwrap()[0].id, 3);
}

#[test]
fn a_committee_above_the_publisher_finds_its_subtree_and_kind_filters() {
    let ix = CaseIndex::open(None).unwrap();
    let mut docs = corpus();
    docs[2].kind = "achievement".into();
    ix.apply(&docs, &[]).unwrap();
    // Case 3 (of org 5) reaches 党总支 (3)'s subtree only. 机关党委 (1) is above the
    // publisher: not a reader of the publication, but its account oversees the author.
    let mut s = q("突击队", &[1]);
    assert!(ix.search(&s).unwrap().is_empty());
    s.readers.subtrees = vec![1];
    assert_eq!(ix.search(&s).unwrap()[0].id, 3);
    // The author organization alone (a branch account) sees its own case too.
    let mut own = q("突击队", &[]);
    own.readers.orgs = vec![5];
    assert_eq!(ix.search(&own).unwrap()[0].id, 3);
    own.readers.orgs = vec![4];
    assert!(ix.search(&own).unwrap().is_empty());
    // Kind: only 优秀成果.
    let mut k = q("党员", &[1, 3]);
    k.kind = Some("achievement".into());
    let (n, hits) = ix.search_page(&k).unwrap();
    assert_eq!(
        (n, hits.iter().map(|h| h.id).collect::<Vec<_>>()),
        (1, vec![3])
    );
}

#[test]
fn key_terms_are_the_words_that_stand_out() {
    let ix = CaseIndex::open(None).unwrap();
    ix.apply(&corpus(), &[]).unwrap();
    let terms = ix.key_terms(1, 5).unwrap();
    assert_eq!(terms.len(), 5, "{terms:?}");
    assert!(terms.iter().any(|t| t == "检定"), "{terms:?}");
    assert!(terms.iter().all(|t| t.chars().count() >= 2));
    assert!(ix.key_terms(99, 5).unwrap().is_empty());
}

#[test]
fn cases_like_an_organizations_own_work() {
    let ix = CaseIndex::open(None).unwrap();
    ix.apply(&corpus(), &[]).unwrap();
    let r = pub_only(&[1, 3, 7]);
    let hits = ix.like_text("计量标准建设 检定装置", &r, None, 5).unwrap();
    assert_eq!(hits.first().map(|h| h.id), Some(3), "{hits:?}");
    // Not the organization's own cases (case 3 is of org 5).
    let hits = ix
        .like_text("计量标准建设 检定装置", &r, Some(5), 5)
        .unwrap();
    assert!(hits.iter().all(|h| h.id != 3), "{hits:?}");
    assert!(ix.like_text("  ", &r, None, 5).unwrap().is_empty());
}

#[test]
fn the_index_on_disk_remembers_how_far_it_followed() {
    let dir = tempfile::tempdir().unwrap();
    {
        let ix = CaseIndex::open(Some(dir.path())).unwrap();
        assert_eq!(ix.position(), None);
        ix.apply_at(&corpus(), &[], Some(42)).unwrap();
        assert_eq!(ix.position(), Some(42));
    }
    let again = CaseIndex::open(Some(dir.path())).unwrap();
    assert_eq!((again.position(), again.len()), (Some(42), 3));
}

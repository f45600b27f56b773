//! `ronghe report compliance`: the compliance of every branch in the deployment for a year,
//! computed by the core engine from the records, with the time it took.

use ronghe_core::scope::Scope;
use ronghe_store::Store;
use std::time::Instant;

pub async fn compliance_report(
    store: &Store,
    year: i32,
    today: ronghe_core::Date,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let inputs = store.compliance_inputs(&Scope::everything(), year).await?;
    let loaded = started.elapsed();
    let rules = store.compliance_config().await?.rules();
    let eval_start = Instant::now();
    let lines = ronghe_store::evaluate_branches(&rules, &inputs, year, today);
    let (mut met, mut overdue, mut upcoming, mut branches_overdue, mut meetings) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    for l in &lines {
        meetings += l.held;
        met += u64::from(l.met);
        overdue += u64::from(l.overdue);
        upcoming += u64::from(l.upcoming);
        branches_overdue += u64::from(l.overdue > 0);
    }
    let mut worst: Vec<(u32, &str)> = lines.iter().map(|l| (l.overdue, l.name.as_str())).collect();
    let evaluated = eval_start.elapsed();
    worst.sort_by_key(|w| std::cmp::Reverse(w.0));
    println!("{year} 年组织生活合规情况（截至 {today}）");
    println!("  党支部 {} 个，会议记录 {meetings} 条", inputs.len());
    println!("  已完成 {met} 个周期，已逾期 {overdue} 个，未到期 {upcoming} 个；有逾期事项的党支部 {branches_overdue} 个");
    for (n, name) in worst.iter().take(5).filter(|w| w.0 > 0) {
        println!("  逾期最多：{name}（{n} 个周期）");
    }
    println!(
        "  用时：读取 {:.2} s，计算 {:.3} s（每个党支部 {:.1} µs），合计 {:.2} s",
        loaded.as_secs_f64(),
        evaluated.as_secs_f64(),
        evaluated.as_secs_f64() * 1e6 / inputs.len().max(1) as f64,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `ronghe report evaluation`: a whole evaluation run of the deployment's largest subtree (or
/// `--org`) with the shipped 100-point template, beside the bare aggregate of the same input
/// rows, and re-scoring one branch from its plan page's facts; the times and their ratios.
/// With `--store` the run is saved (a template and a draft run under the root).
pub async fn evaluation_report(
    store: &Store,
    year: i32,
    org: Option<i64>,
    save: bool,
    today: ronghe_core::Date,
) -> anyhow::Result<()> {
    use ronghe_core::evaluation::facts::measure;
    use ronghe_core::evaluation::templates::hundred_points;
    use ronghe_core::integration::IndexConfig;
    use std::time::Duration;
    let all = Scope::everything();
    // The whole deployment is its roots (a province's cities), each evaluated over its subtree.
    let roots = match org {
        Some(id) => vec![store.org_get(&all, id).await?],
        None => store.org_roots(&all).await?,
    };
    let t = hundred_points();
    let names: Vec<&str> = roots.iter().map(|r| r.name.as_str()).take(3).collect();
    println!(
        "{year} 年同步考核：{} 个顶层组织（{}{}）的全部下级组织，方案“{}”",
        roots.len(),
        names.join("、"),
        if roots.len() > 3 { "等" } else { "" },
        t.name
    );
    let (mut rows, mut bare, mut counted, mut facts_t, mut computed, mut saved) = (
        0i64,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    let mut all_results = Vec::new();
    for root in &roots {
        // The bare aggregate before and after, so neither side gets all the warm cache; the
        // row count alone beside it, for comparison.
        let started = Instant::now();
        rows += store.eval_bare_aggregate(root, year, true).await?;
        let b1 = started.elapsed();
        let started = Instant::now();
        store.eval_bare_aggregate(root, year, false).await?;
        counted += started.elapsed();
        let started = Instant::now();
        std::hint::black_box(store.eval_facts(root, year, today).await?.subjects.len());
        facts_t += started.elapsed();
        let started = Instant::now();
        let results = store.eval_compute(root, year, &t, &[], today).await?;
        computed += started.elapsed();
        let started = Instant::now();
        store.eval_bare_aggregate(root, year, true).await?;
        bare += b1.min(started.elapsed());
        if save && !results.is_empty() {
            let actor = ronghe_store::Actor::system("基准测试");
            let started = Instant::now();
            let tid = store
                .eval_template_create(&actor, &all, root, year, &t)
                .await?;
            let v = store.eval_template_get(&all, tid).await?;
            let as_of = today.min(ronghe_core::Date::from_ymd_opt(year, 12, 31).unwrap_or(today));
            store
                .eval_run_create(
                    &actor,
                    v.version_id,
                    root,
                    year,
                    as_of,
                    None,
                    Some("基准测试"),
                    &results,
                )
                .await?;
            saved += started.elapsed();
        }
        all_results.extend(results);
    }
    let ratio = |d: Duration| d.as_secs_f64() / bare.as_secs_f64().max(1e-9);
    println!("  输入 {rows} 行；考核 {} 个组织", all_results.len());
    println!(
        "  同样的输入只做聚合（裸聚合：逐条语句计行数和每列的值，每个顶层组织取两次中较快的）：{:.2} s；只计行数 {:.2} s（PostgreSQL 此时略过用不到的列）",
        bare.as_secs_f64(),
        counted.as_secs_f64()
    );
    println!(
        "  完整考核（读取全部输入、组织生活检查、计算融合度、逐项计分）：{:.2} s，为裸聚合的 {:.2} 倍；其中只读取输入 {:.2} s（{:.2} 倍）",
        computed.as_secs_f64(),
        ratio(computed),
        facts_t.as_secs_f64(),
        ratio(facts_t)
    );
    if save {
        println!(
            "  保存结果：{:.2} s；计算加保存为裸聚合的 {:.2} 倍",
            saved.as_secs_f64(),
            ratio(computed + saved)
        );
    }
    let results = all_results;
    // Re-scoring one branch after a change: its plan page's facts, measured and scored.
    let Some(branch) = results.iter().find(|r| {
        r.inputs
            .iter()
            .any(|(c, i)| c == "life" && matches!(i, ronghe_core::evaluation::Input::Share { .. }))
    }) else {
        return Ok(());
    };
    let rules = store.compliance_config().await?.rules();
    let mut times = Vec::new();
    for _ in 0..21 {
        let started = Instant::now();
        let v = store.plan_view_latest(&all, branch.plan_id).await?;
        let meetings = store.plan_meeting_counts(&v.plan).await?;
        let from = ronghe_core::Date::from_ymd_opt(year, 1, 1).unwrap_or(today);
        let to = ronghe_core::Date::from_ymd_opt(year, 12, 31).unwrap_or(today);
        let (profile, facts) = store
            .branch_compliance_facts(branch.org_id, from, to)
            .await?;
        let r = ronghe_core::compliance::evaluate(&rules, &profile, &facts, from, to, today);
        let m = measure(
            &v.facts(meetings, Some((r.met, r.met + r.overdue))),
            today,
            &IndexConfig::default(),
        );
        let ev = ronghe_core::evaluation::score(&t, &m, &[]);
        std::hint::black_box(ev.score);
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "  单个党支部重新计分（读取计划、会议、组织生活并计分）：中位 {:.1} ms，最慢 {:.1} ms（21 次）",
        times[10].as_secs_f64() * 1e3,
        times[20].as_secs_f64() * 1e3
    );
    Ok(())
}

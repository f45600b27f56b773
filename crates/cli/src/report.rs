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

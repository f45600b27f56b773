//! What a committee oversees: formation warnings (term, committee size) of every organization
//! below it, not one level only.

use super::*;

#[tokio::test]
async fn a_committee_sees_the_formation_warnings_of_its_whole_subtree() {
    for b in backends() {
        let app = spawn(b).await;
        // The demo's 综合管理党支部 sits two levels below the 机关党委 (under the institute's
        // 党总支) and its term ran out in 2025.
        let c = app.login("dangwei").await;
        let home = c
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let section = home
            .split("需要关注的下属组织")
            .nth(1)
            .unwrap_or_else(|| panic!("{b}: no attention section"));
        assert!(section.contains("已检查下属全部 5 个组织"), "{b}");
        assert!(
            section.contains("综合管理党支部") && section.contains("届满"),
            "{b}: a term expired two levels down"
        );
        assert!(
            section.contains("市计量测试研究院党总支"),
            "{b}: named with the organization it is under"
        );
        assert!(
            section.contains("科研质量党支部"),
            "{b}: a committee too small"
        );
        // The worst first: the expired term (a violation) before the committee size.
        let (expired, small) = (
            section.find("综合管理党支部").unwrap(),
            section.find("科研质量党支部").unwrap(),
        );
        assert!(expired < small, "{b}");
        // A secretary of one branch has nothing below it to oversee.
        let z = app.login("zhibu").await;
        let home = z
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!home.contains("需要关注的下属组织"), "{b}");
    }
}

//! The case library through its pages and API: hostile uploads refused at the form, two running
//! servers on one database, an Excel attachment's words found once published.

use super::second_instance;
use crate::common::*;
use ronghe_core::scope::Scope;

/// Posts the case form with `file` (name, bytes) as the Word document; returns the final page.
async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    title: &str,
    file: Option<(&str, Vec<u8>)>,
) -> (String, String) {
    let page = c
        .get(app.url("/library/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page);
    let mut form = reqwest::multipart::Form::new()
        .text("org", "4")
        .text("title", title.to_string())
        .text("summary", "摘要保留")
        .text("tags", "党建+计量");
    if let Some((name, bytes)) = file {
        form = form.part(
            "document",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    let res = c
        .post(app.url(&format!("/library/new?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let path = res.url().path().to_string();
    (path, res.text().await.unwrap())
}

#[tokio::test]
async fn hostile_uploads_are_refused_through_the_page_and_nothing_is_stored() {
    use ronghe_office::docx::{self, Block};
    for backend in backends() {
        let app = spawn(backend).await;
        let c = app.login("zhibu").await;
        let all = Scope::everything();
        let branch = app.store.org_get(&all, 4).await.unwrap();
        let count = || async {
            app.store
                .case_lines_of_org(&all, &branch)
                .await
                .unwrap()
                .len()
        };
        let before = count().await;
        let mut bomb = Vec::new();
        {
            use std::io::Write;
            let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut bomb));
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            z.start_file("word/document.xml", opts).unwrap();
            let zeros = vec![b' '; 1 << 20];
            for _ in 0..40 {
                z.write_all(&zeros).unwrap();
            }
            z.finish().unwrap();
        }
        let empty = docx::write("空", &[]);
        let cases: [(&str, Vec<u8>, &str); 6] = [
            (
                "总结.docx",
                b"just text, not a zip".to_vec(),
                "这不是 Word 文档",
            ),
            ("总结.docx", b"PK\x03\x04broken".to_vec(), "无法"),
            ("炸弹.docx", bomb, "解压后超过"),
            ("空白.docx", empty, "没有任何文字"),
            ("旧版.doc", b"\xd0\xcf\x11\xe0".to_vec(), "另存为 .docx"),
            ("大.docx", vec![b'P'; 11 << 20], "不能超过 10 MB"),
        ];
        for (name, bytes, says) in cases {
            let (path, html) = upload(&app, &c, "保留的标题", Some((name, bytes))).await;
            assert_eq!(path, "/library/new", "{backend} {name}");
            assert!(html.contains(says), "{backend} {name}: {says}");
            // What was typed is still in the form.
            assert!(
                html.contains("保留的标题") && html.contains("摘要保留"),
                "{backend} {name}"
            );
        }
        assert_eq!(count().await, before, "{backend}: nothing stored");
        // The server is unharmed: a real document goes through.
        let text = "支部开展量值溯源专题学习。".repeat(80);
        let doc = docx::write(
            "量值溯源学习小结",
            &[
                Block::Heading {
                    level: 1,
                    text: "量值溯源学习小结".into(),
                },
                Block::Paragraph(text.clone()),
                Block::Paragraph(text),
            ],
        );
        let (path, html) = upload(&app, &c, "", Some(("小结.docx", doc))).await;
        assert!(path.starts_with("/library/cases/"), "{backend}: {path}");
        assert!(
            html.contains("量值溯源学习小结") && html.contains("第 1 页 / 共 2 页"),
            "{backend}"
        );
        assert_eq!(count().await, before + 1);

        // Queries: only punctuation, or far too long, are answered with a message.
        for (q, says) in [
            ("，。！？", "只有标点或符号"),
            (&*"党".repeat(2000), "查询过长"),
        ] {
            let html = c
                .get(app.url("/library/search"))
                .query(&[("q", q)])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(html.contains(says), "{backend}: {q:.10}… {html:.200}");
        }
    }
}

#[tokio::test]
async fn two_running_servers_on_one_database_find_what_the_other_published_within_seconds() {
    use serde_json::{json, Value};
    for backend in backends() {
        let app = spawn(backend).await;
        // Server B: its own store, index and follower, on the same database.
        let store_b = second_instance(&app).await;
        let (tx, rx) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            ronghe_web::serve(
                store_b,
                ronghe_web::Config::default(),
                "127.0.0.1:0".parse().unwrap(),
                move |a| {
                    let _ = tx.send(a);
                },
            )
            .await
            .unwrap();
        });
        let base_b = format!("http://{}", rx.await.unwrap());
        let api = |base: &str, path: &str| format!("{base}{path}");
        let c = reqwest::Client::new();
        let as_user = |u: &'static str| {
            let app = &app;
            async move { app.token(u).await }
        };
        // Through server A: the secretary writes and submits, the 党总支 publishes.
        let (zhibu, jiliang) = (as_user("zhibu").await, as_user("jiliang").await);
        let res = c
            .post(api(&app.base, "/api/v1/library/cases"))
            .bearer_auth(&zhibu)
            .json(&json!({ "org_id": 4, "title": "星光夜校进园区", "body": "支部在园区开设星光夜校。\n每月请老党员讲授量传溯源知识。", "tags": ["党建+计量"] }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "{backend}");
        let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        for (token, body) in [
            (&zhibu, json!({ "action": "submit" })),
            (&jiliang, json!({ "action": "publish", "reach": "all" })),
        ] {
            let res = c
                .post(api(
                    &app.base,
                    &format!("/api/v1/library/cases/{id}/actions"),
                ))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{backend}: {body}");
        }
        // Server A finds it at once (it applied its own change); server B within seconds.
        let search = |base: String, token: String| {
            let c = c.clone();
            async move {
                c.get(format!("{base}/api/v1/library/cases"))
                    .query(&[("q", "星光 溯源")])
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap()
                    .json::<Value>()
                    .await
                    .unwrap()["total"]
                    .as_i64()
                    .unwrap()
            }
        };
        let reader = as_user("xuexiao").await;
        assert_eq!(
            search(app.base.clone(), reader.clone()).await,
            1,
            "{backend}"
        );
        let started = std::time::Instant::now();
        let token_b = {
            let res = c
                .post(format!("{base_b}/api/v1/session"))
                .json(&json!({ "username": "xuexiao", "password": DEMO_PASSWORD }))
                .send()
                .await
                .unwrap();
            res.json::<Value>().await.unwrap()["token"]
                .as_str()
                .unwrap()
                .to_string()
        };
        loop {
            if search(base_b.clone(), token_b.clone()).await == 1 {
                break;
            }
            // The follower reads the log every 2 s: five periods is far past any delay but a
            // broken one.
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "{backend}: server B never found the case"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        eprintln!(
            "{backend}: found through the other server after {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
}

#[tokio::test]
async fn an_excel_attachments_words_are_found_once_the_case_is_published() {
    use serde_json::{json, Value};
    use std::io::Write;
    for backend in backends() {
        let app = spawn(backend).await;
        let (zhibu, jiliang) = (app.token("zhibu").await, app.token("jiliang").await);
        let c = reqwest::Client::new();
        let res = c
            .post(app.url("/api/v1/library/cases"))
            .bearer_auth(&zhibu)
            .json(&json!({ "org_id": 4, "title": "附件检索", "body": "正文不含那个词。" }))
            .send()
            .await
            .unwrap();
        let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        // An .xlsx whose shared strings hold the word, added through the case page.
        let mut book = Vec::new();
        {
            let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut book));
            let o = zip::write::SimpleFileOptions::default();
            z.start_file("xl/sharedStrings.xml", o).unwrap();
            z.write_all("<sst><si><t>蓝鲸计划</t></si></sst>".as_bytes())
                .unwrap();
            z.start_file("xl/worksheets/sheet1.xml", o).unwrap();
            z.write_all(b"<worksheet/>").unwrap();
            z.finish().unwrap();
        }
        let browser = app.login("zhibu").await;
        let page = browser
            .get(app.url(&format!("/library/cases/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        let form = reqwest::multipart::Form::new().part(
            "attachment",
            reqwest::multipart::Part::bytes(book).file_name("数据.xlsx"),
        );
        let res = browser
            .post(app.url(&format!("/library/cases/{id}/attach?csrf={csrf}")))
            .multipart(form)
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        assert!(
            html.contains("数据.xlsx") && html.contains("文字可检索"),
            "{backend}"
        );
        for (token, body) in [
            (&zhibu, json!({ "action": "submit" })),
            (&jiliang, json!({ "action": "publish", "reach": "all" })),
        ] {
            let res = c
                .post(app.url(&format!("/api/v1/library/cases/{id}/actions")))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{backend}");
        }
        let reader = app.token("xuexiao").await;
        let found: Value = c
            .get(app.url("/api/v1/library/cases"))
            .query(&[("q", "蓝鲸计划")])
            .bearer_auth(&reader)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            found["items"][0]["id"].as_i64(),
            Some(id),
            "{backend}: {found}"
        );
        // Its attachments can no longer change once published.
        let page = browser
            .get(app.url(&format!("/library/cases/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!page.contains("form-attach"), "{backend}");
    }
}

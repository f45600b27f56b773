#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn look() {
    let dir = std::path::Path::new("/tmp/look");
    let store = ronghe_store::Store::open("sqlite:///tmp/look/t.db", dir).await.unwrap();
    println!("{:?}", ronghe_store::demo::load(&store).await.unwrap());
    let s = ronghe_store::gen::generate(&store, &ronghe_store::gen::GenOptions { preset: ronghe_store::gen::Preset::Small, seed: 5 }, &|_, _| {}).await.unwrap();
    println!("{s:?}");
}

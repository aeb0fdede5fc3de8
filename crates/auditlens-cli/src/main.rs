fn main() {
    println!("auditlens {}", auditlens_core::VERSION);
}

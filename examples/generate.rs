//! `cargo run --example generate -- chain|shared-catch|workflow N`: prints a generated workflow of exactly N states (the
//! generators the benches use, `benches/support/generate.rs`), for `benches/scale.sh` and for profiling.

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: generate chain|shared-catch|workflow N";
    let (kind, n) = match args.as_slice() {
        [kind, n] => (kind.as_str(), n.parse::<usize>().ok().filter(|&n| n >= 2)),
        _ => ("", None),
    };
    let text = match (kind, n) {
        ("chain", Some(n)) => generate::linear_chain(n),
        ("shared-catch", Some(n)) if n >= 4 => generate::chain_with_shared_catch(n),
        ("workflow", Some(n)) if n >= 3 => generate::workflow(n),
        _ => {
            eprintln!("{usage} (N ≥ 2; workflow: N ≥ 3; shared-catch: N ≥ 4)");
            std::process::exit(2);
        }
    };
    println!("{text}");
}

//! Layout of generated workflows of 100, 1,000 and 5,000 states: chains of polling loops (Task → Choice →
//! Wait → back to the Task), with a Parallel of three branches and a Map every few blocks.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use statewright::asl::{Document, StateMachine};
use std::fmt::Write;

/// A polling loop `p_Get → p_Is → p_Wait → p_Get`, leaving to `next` (or ending).
fn polling_block(out: &mut String, p: &str, next: Option<&str>) {
    let exit = next.map_or_else(
        || r#""Type":"Succeed""#.to_owned(),
        |n| format!(r#""Type":"Pass","Next":"{n}""#),
    );
    let _ = write!(
        out,
        r#""{p}_Get":{{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:glue:getCrawler","Next":"{p}_Is","Retry":[{{"ErrorEquals":["States.ALL"]}}]}},
"{p}_Is":{{"Type":"Choice","Choices":[{{"Variable":"$.Crawler.State","StringEquals":"RUNNING","Next":"{p}_Wait"}}],"Default":"{p}_Out"}},
"{p}_Wait":{{"Type":"Wait","Seconds":5,"Next":"{p}_Get"}},
"{p}_Out":{{{exit}}}"#
    );
}

/// Top-level blocks until about `target` states; returns the definition and its exact state count.
fn workflow(target: usize) -> (StateMachine, usize) {
    let mut states = String::new();
    let mut count = 0;
    let mut b = 0;
    while count < target {
        if !states.is_empty() {
            states.push(',');
        }
        let next = format!("B{}_Get", b + 1);
        let last = count + 4 >= target;
        let next = (!last).then_some(next.as_str());
        if b % 8 == 3 && !last {
            let branches: Vec<String> = (0..3)
                .map(|k| {
                    let mut s = String::new();
                    polling_block(&mut s, &format!("B{b}P{k}"), None);
                    format!(r#"{{"StartAt":"B{b}P{k}_Get","States":{{{s}}}}}"#)
                })
                .collect();
            let _ = write!(
                states,
                r#""B{b}_Get":{{"Type":"Parallel","Branches":[{}],"Next":"{}"}}"#,
                branches.join(","),
                next.unwrap_or_default()
            );
            count += 13;
        } else if b % 8 == 6 && !last {
            let mut s = String::new();
            polling_block(&mut s, &format!("B{b}M"), None);
            let _ = write!(
                states,
                r#""B{b}_Get":{{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{{"StartAt":"B{b}M_Get","States":{{{s}}}}},"Next":"{}"}}"#,
                next.unwrap_or_default()
            );
            count += 5;
        } else {
            polling_block(&mut states, &format!("B{b}"), next);
            count += 4;
        }
        b += 1;
    }
    let text = format!(r#"{{"StartAt":"B0_Get","States":{{{states}}}}}"#);
    let machine = Document::parse_json(&text)
        .expect("generated workflow parses")
        .machine;
    let n = machine.all_state_names().len();
    (machine, n)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout");
    group.sample_size(10);
    for target in [100, 1_000, 5_000] {
        let (machine, n) = workflow(target);
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{n}_states")),
            &machine,
            |b, m| b.iter(|| statewright::layout::layout(std::hint::black_box(m))),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

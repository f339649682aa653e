use super::*;
use crate::asl::Document;

fn machine(text: &str) -> StateMachine {
    Document::parse_json(text).unwrap().machine
}

const LOOP: &str = r#"{"StartAt":"Get","States":{
  "Get":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:glue:getCrawler","Next":"Is"},
  "Is":{"Type":"Choice","Choices":[{"Variable":"$.Crawler.State","StringEquals":"RUNNING","Next":"Wait"}],"Default":"Done"},
  "Wait":{"Type":"Wait","Seconds":5,"Next":"Get"},
  "Done":{"Type":"Succeed"}}}"#;

#[test]
fn polling_loop() {
    let l = layout(&machine(LOOP));
    assert_eq!(l.nodes.len(), 4);
    assert_eq!(l.nodes[0].summary, "glue:getCrawler");
    assert_eq!(l.nodes[2].summary, "Wait 5s");
    let back: Vec<_> = l.edges.iter().filter(|e| e.back_edge).collect();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].to, vec!["Get".to_owned()]);
    assert_eq!(
        l.markers
            .iter()
            .filter(|m| m.kind == MarkerKind::Start)
            .count(),
        1
    );
    assert_eq!(
        l.markers
            .iter()
            .filter(|m| m.kind == MarkerKind::End)
            .count(),
        1
    );
    assert_eq!(l, layout(&machine(LOOP)));
}

#[test]
fn dangling_and_empty() {
    let l = layout(&machine(
        r#"{"StartAt":"Nope","States":{"A":{"Type":"Pass","Next":"Gone"}}}"#,
    ));
    assert_eq!(l.nodes.len(), 1);
    assert!(l.edges.is_empty());
    let l = layout(&machine("{}"));
    assert!(l.nodes.is_empty());
}

#[test]
fn pins_move_states_and_grow_containers() {
    let m = machine(
        r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"After","Branches":[
          {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
          {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]},
          "After":{"Type":"Succeed"}}}"#,
    );
    let mut pins = BTreeMap::new();
    pins.insert("After".to_owned(), Point::new(900.0, 40.0));
    pins.insert("A".to_owned(), Point::new(-300.0, 600.0));
    let l = layout_with_pins(&m, &pins);
    let after = l.nodes.iter().find(|n| n.name == "After").unwrap();
    assert_eq!(after.rect.min, Point::new(900.0, 40.0));
    let p = &l.nodes[0];
    let a = l.nodes.iter().find(|n| n.name == "A").unwrap();
    assert_eq!(a.rect.min, Point::new(-300.0, 600.0));
    assert!(p.rect.contains_rect(&a.rect) && p.lanes[0].contains_rect(&a.rect));
    for e in &l.edges {
        let from = l.nodes.iter().find(|n| n.path == e.from).unwrap();
        let to = l.nodes.iter().find(|n| n.path == e.to).unwrap();
        assert!(from.rect.on_border(e.points[0], 0.5), "{e:?}");
        assert!(to.rect.on_border(*e.points.last().unwrap(), 0.5), "{e:?}");
    }
    assert!(l.bounds.contains_rect(&after.rect));
}

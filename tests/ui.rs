//! Designer flows driven through the accessibility tree (egui_kittest).

//! Background work for the designer: anything that may take longer than a frame (simulating, saving,
//! autosaving, exporting, reading files) runs on its own thread as a [`Job`]. The UI polls it once per frame
//! ([`Job::poll`]); the thread asks for a repaint when it is done, so an idle window wakes up for the result.
//! While a job runs the status bar shows a spinner and its label ([`progress_ui`]); cancellable jobs get a
//! Cancel button that sets their [`CancelFlag`].

use crate::sim::CancelFlag;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// One piece of work running on a background thread, producing a `T`.
pub struct Job<T> {
    label: String,
    rx: mpsc::Receiver<T>,
    cancel: CancelFlag,
    started: Instant,
}

/// What [`Job::poll`] found.
#[derive(Debug, PartialEq)]
pub enum Polled<T> {
    /// Still running.
    Running,
    /// Finished with this result.
    Done(T),
    /// The thread ended without a result (it panicked, or could not be started).
    Lost,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread. It receives the job's cancel flag (to check now and then, or to pass
    /// to the simulator). `ctx` is asked to repaint when the work is done.
    pub fn spawn(
        label: impl Into<String>,
        ctx: &egui::Context,
        work: impl FnOnce(&CancelFlag) -> T + Send + 'static,
    ) -> Job<T> {
        let label = label.into();
        let (tx, rx) = mpsc::channel();
        let cancel = CancelFlag::new();
        let flag = cancel.clone();
        let ctx = ctx.clone();
        // A failure to start a thread leaves the sender dropped: the job polls as `Lost`.
        let _ = std::thread::Builder::new()
            .name(format!("statewright: {label}"))
            .spawn(move || {
                let out = work(&flag);
                let _ = tx.send(out);
                ctx.request_repaint();
            });
        Job {
            label,
            rx,
            cancel,
            started: Instant::now(),
        }
    }
}

impl<T> Job<T> {
    /// Takes the result if the work is done (never waits).
    pub fn poll(&self) -> Polled<T> {
        match self.rx.try_recv() {
            Ok(v) => Polled::Done(v),
            Err(mpsc::TryRecvError::Empty) => Polled::Running,
            Err(mpsc::TryRecvError::Disconnected) => Polled::Lost,
        }
    }

    /// Waits at most `timeout` for the result (only where a frame may wait: the window is closing).
    pub fn wait(&self, timeout: Duration) -> Polled<T> {
        match self.rx.recv_timeout(timeout) {
            Ok(v) => Polled::Done(v),
            Err(mpsc::RecvTimeoutError::Timeout) => Polled::Running,
            Err(mpsc::RecvTimeoutError::Disconnected) => Polled::Lost,
        }
    }

    /// Asks the work to stop (it checks the flag cooperatively).
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// What the job does, for the status bar ("Saving hello.asl.json").
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

/// Takes the result of the job in `slot`, if it is done: the slot is emptied. `Lost` becomes `Err`.
pub fn take<T>(slot: &mut Option<Job<T>>) -> Option<Result<T, String>> {
    let job = slot.as_ref()?;
    let out = match job.poll() {
        Polled::Running => return None,
        Polled::Done(v) => Ok(v),
        Polled::Lost => Err(format!(
            "{}: the background task stopped unexpectedly",
            job.label()
        )),
    };
    *slot = None;
    Some(out)
}

/// A spinner and the job's label with the seconds it has run (after the first second), and, with a
/// `cancel` label, a button that cancels it. Returns whether that button was clicked.
pub fn progress_ui<T>(ui: &mut egui::Ui, job: &Job<T>, cancel: Option<&str>) -> bool {
    ui.add(egui::Spinner::new());
    let secs = job.elapsed().as_secs();
    let text = if job.is_cancelled() {
        format!("{}: cancelling…", job.label())
    } else if secs >= 1 {
        format!("{}… {secs} s", job.label())
    } else {
        format!("{}…", job.label())
    };
    ui.label(text);
    match cancel {
        Some(label) if !job.is_cancelled() => ui
            .button(label)
            .on_hover_text("Stop it and keep what was there before")
            .clicked(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait<T>(slot: &mut Option<Job<T>>) -> Result<T, String> {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(r) = take(slot) {
                return r;
            }
            assert!(Instant::now() < until, "the job did not finish");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn a_job_runs_off_the_calling_thread_and_hands_back_its_result() {
        let ctx = egui::Context::default();
        let here = std::thread::current().id();
        let mut slot = Some(Job::spawn("work", &ctx, move |_| {
            std::thread::current().id() != here
        }));
        assert_eq!(wait(&mut slot), Ok(true));
        assert!(slot.is_none(), "taken");

        let job = Job::spawn("slow", &ctx, |_| {
            std::thread::sleep(Duration::from_millis(300));
            7
        });
        assert_eq!(job.wait(Duration::from_millis(1)), Polled::Running);
        assert_eq!(job.wait(Duration::from_secs(10)), Polled::Done(7));
    }

    #[test]
    fn cancel_reaches_the_work_and_a_panic_is_reported_not_hung() {
        let ctx = egui::Context::default();
        let mut slot = Some(Job::spawn("spin", &ctx, |flag: &CancelFlag| {
            let mut n = 0u64;
            while !flag.is_cancelled() {
                n += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
            n
        }));
        std::thread::sleep(Duration::from_millis(20));
        assert!(take(&mut slot).is_none(), "still running");
        slot.as_ref().unwrap().cancel();
        assert!(wait(&mut slot).is_ok());

        let mut slot: Option<Job<()>> = Some(Job::spawn("boom", &ctx, |_| panic!("boom")));
        let e = wait(&mut slot).unwrap_err();
        assert!(e.contains("boom: the background task stopped"), "{e}");
    }
}

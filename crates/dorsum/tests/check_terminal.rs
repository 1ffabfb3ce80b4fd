//! End-to-end: `dorsum check` in a real terminal (tmux), driven with keystrokes and read from the screen.
//! Skips with a message when tmux is missing, except under CI, where that is a failure.

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    session: String,
}

impl Tmux {
    fn start(name: &str, command: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "tmux is required for the terminal test under CI (apt-get install tmux)"
            );
            eprintln!(
                "skipped: tmux is not installed, so `dorsum check` was not run in a terminal"
            );
            return None;
        }
        let session = format!("dorsum-{name}-{}", std::process::id());
        let status = Command::new("tmux")
            .args(["new-session", "-d", "-s", &session, "-x", "160", "-y", "60"])
            .arg(command)
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux could not start a session");
        Some(Tmux { session })
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    fn literal(&self, text: &str) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.session, "-l", text])
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args([
                "capture-pane",
                "-p",
                "-J",
                "-S",
                "-2000",
                "-t",
                &self.session,
            ])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, what: &str, found: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if found(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

fn command(extra: &str) -> String {
    format!(
        "{} check --no-save {extra}; echo DORSUM-EXIT=$?; sleep 30",
        env!("CARGO_BIN_EXE_dorsum")
    )
}

/// The last prompt on the screen (inquire redraws it at the bottom).
fn last_prompt(screen: &str) -> &str {
    let end = screen.trim_end();
    match end.rfind("Question ") {
        Some(i) => &end[i..],
        None => end,
    }
}

const HEADINGS: [&str; 5] = [
    "SELF-CARE AT HOME",
    "BOOK A DOCTOR OR PHYSIOTHERAPIST",
    "SEE A DOCTOR WITHIN 24 HOURS",
    "EMERGENCY - GO TO",
    "EMERGENCY - CALL",
];

#[test]
fn an_interview_in_the_terminal_reaches_a_self_care_result() {
    let Some(t) = Tmux::start("selfcare", &command("")) else {
        return;
    };
    t.wait_for("the opening question", |s| s.contains("Describe your back"));
    t.literal("my lower back hurts after lifting boxes at work, started 3 days ago");
    t.keys(&["Enter"]);
    t.wait_for("the age question", |s| s.contains("Your age"));
    t.literal("34");
    t.keys(&["Enter"]);
    t.wait_for("the sex question", |s| s.contains("Sex (used"));
    t.keys(&["Down", "Enter"]);
    t.wait_for("the parse summary", |s| s.contains("What I understood"));
    let mut asked = 0;
    loop {
        let screen = t.wait_for("a question or the result", |s| {
            HEADINGS.iter().any(|h| s.contains(h))
                || s.matches("Question ").count() > asked
                    && (s.contains("Space ticks") || s.contains("Don't know"))
        });
        if HEADINGS.iter().any(|h| screen.contains(h)) {
            break;
        }
        asked += 1;
        assert!(asked <= 20, "more than 20 questions:\n{screen}");
        let prompt = last_prompt(&screen);
        assert!(
            prompt.contains(&format!("Question {asked} [")),
            "progress indicator missing:\n{prompt}"
        );
        if prompt.contains("Space ticks") {
            // "Choose all that apply": tick nothing, meaning none of these.
            t.keys(&["Enter"]);
        } else if prompt.contains("A number from") {
            t.literal("3");
            t.keys(&["Enter"]);
        } else {
            // Yes / No / Don't know (or one choice): "No" is second; for one choice the second option.
            t.keys(&["Down", "Enter"]);
        }
        t.wait_for("the answer to register", |s| {
            s.matches("Question ").count() > asked || HEADINGS.iter().any(|h| s.contains(h))
        });
    }
    let screen = t.wait_for("the end of the result", |s| s.contains("DORSUM-EXIT="));
    assert!(screen.contains("DORSUM-EXIT=0"), "{screen}");
    assert!(screen.contains("SELF-CARE AT HOME"), "{screen}");
    assert!(screen.contains("Likely causes"), "{screen}");
    assert!(screen.contains("Exercises"), "{screen}");
    assert!(
        screen.contains("Strained muscle or ligament in the lower back"),
        "{screen}"
    );
    assert!(
        asked >= 3,
        "a self-care result after only {asked} questions"
    );
}

#[test]
fn an_emergency_in_the_opener_says_what_to_do_first_and_only_asks_about_an_ambulance() {
    let Some(t) = Tmux::start("emergency", &command("--age 52 --sex male")) else {
        return;
    };
    t.wait_for("the opening question", |s| s.contains("Describe your back"));
    t.literal("bad low back pain, since this morning my bum and privates are numb and i cant pee");
    t.keys(&["Enter"]);
    // What to do comes before any question.
    let screen = t.wait_for("what to do now", |s| {
        s.contains("EMERGENCY - ") || s.contains("DORSUM-EXIT=")
    });
    let urgent = screen
        .find("EMERGENCY - ")
        .unwrap_or_else(|| panic!("no emergency heading:\n{screen}"));
    if let Some(first) = screen.find("Question 1 [") {
        assert!(urgent < first, "what to do must come first:\n{screen}");
    }
    // Then at most three questions, each one that could make it an ambulance; answer "no" to each.
    let mut asked = 0;
    loop {
        let screen = t.wait_for("a question or the result", |s| {
            s.contains("DORSUM-EXIT=")
                || s.matches("Question ").count() > asked
                    && (s.contains("Space ticks") || s.contains("Don't know"))
        });
        if screen.contains("DORSUM-EXIT=") {
            break;
        }
        asked += 1;
        assert!(
            asked <= 3,
            "more than three questions at an emergency:\n{screen}"
        );
        let prompt = last_prompt(&screen);
        if prompt.contains("Space ticks") {
            t.keys(&["Enter"]);
        } else {
            t.keys(&["Down", "Enter"]);
        }
        t.wait_for("the answer to register", |s| {
            s.matches("Question ").count() > asked || s.contains("DORSUM-EXIT=")
        });
    }
    let screen = t.wait_for("the result", |s| s.contains("DORSUM-EXIT="));
    assert!(screen.contains("DORSUM-EXIT=0"), "{screen}");
    let stop = screen
        .find("STOP THE CHECK HERE")
        .unwrap_or_else(|| panic!("{screen}"));
    let result = &screen[stop..];
    let urgent = result
        .find("EMERGENCY - GO TO")
        .unwrap_or_else(|| panic!("no emergency heading in the result:\n{screen}"));
    let causes = result.find("Likely causes").expect("causes listed");
    assert!(urgent < causes, "what to do must come first:\n{screen}");
}

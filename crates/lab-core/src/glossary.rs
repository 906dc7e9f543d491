//! The words the lab uses, in plain language, with the kitchen picture where it fits. The page
//! lists them all in its glossary, and links each use of a term to its entry (by [`Term::id`]).

/// One term and what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// The anchor of its entry (`#term-<id>`): lowercase words joined by hyphens.
    pub id: &'static str,
    /// The term as the glossary heads it.
    pub term: &'static str,
    /// What it means, in a sentence or three.
    pub meaning: &'static str,
}

/// Every term, in the order a newcomer meets them.
pub const GLOSSARY: [Term; 18] = [
    Term {
        id: "latency",
        term: "Latency",
        meaning: "How long one thing takes, from asking to having the answer: one request, one job, \
                  or how long the page takes to answer a click. Each chart says which one it plots. \
                  In the kitchen: how long one order waits for its dish.",
    },
    Term {
        id: "throughput",
        term: "Throughput",
        meaning: "How much gets done per second: requests per second, or the kernel's items \
                  (pixels, values, hashes) per second. In the kitchen: dishes served per hour.",
    },
    Term {
        id: "percentile",
        term: "p50, p90, p99 (percentiles)",
        meaning: "Sort every duration; p50 is the one in the middle (half took at most this long), \
                  p99 the one 99 in 100 stay under. The mean hides slow outliers; p99 shows them.",
    },
    Term {
        id: "in-flight",
        term: "In flight",
        meaning: "Started and not yet finished: requests waiting for their answer, at the same time. \
                  Async work keeps many in flight on one thread, like dishes in the oven at once.",
    },
    Term {
        id: "littles-law",
        term: "Little's law",
        meaning: "In a steady system, the number in flight equals throughput × latency (L = λW). \
                  Ten requests a second that take half a second each means five in flight. The lab \
                  checks its runs against it.",
    },
    Term {
        id: "closed-loop",
        term: "Closed loop",
        meaning: "A fixed number of clients (C), each sending its next request when the last one \
                  ends. C = 1 is one at a time; more in flight means more throughput until the \
                  server is full.",
    },
    Term {
        id: "open-loop",
        term: "Open loop",
        meaning: "Requests arrive on a schedule (a rate per second), however many are already in \
                  flight, as visitors to a website do. Too high a rate and the queue grows without \
                  end.",
    },
    Term {
        id: "mmk",
        term: "M/M/K queue",
        meaning: "The textbook model of an open loop: random (Poisson) arrivals, random \
                  (exponential) service times, K servers. It predicts the waiting time from the \
                  rate, the service time and K.",
    },
    Term {
        id: "mva",
        term: "Mean value analysis",
        meaning: "The exact way to predict a closed loop's throughput and latency from C clients, \
                  K servers and the service time, adding one client at a time.",
    },
    Term {
        id: "speedup",
        term: "Speedup",
        meaning: "How many times faster a job ran on T threads than on one, measured on this page. \
                  Two cooks chopping ideally finish in half the time: a speedup of 2.",
    },
    Term {
        id: "efficiency",
        term: "Efficiency",
        meaning: "Speedup divided by the threads used: 100 % means every thread did useful work \
                  all the time; less means waiting, overhead or a serial part.",
    },
    Term {
        id: "amdahl",
        term: "Amdahl's law",
        meaning: "If a fraction s of a job cannot be split, no number of threads makes it faster \
                  than 1/s: with 10 % serial, at most 10 times. The lab fits s to a sweep over \
                  threads.",
    },
    Term {
        id: "karp-flatt",
        term: "Karp-Flatt metric",
        meaning: "The serial fraction a measured speedup implies, worked backwards from Amdahl's \
                  law. If it grows with the threads, overhead (not the serial part) is what limits \
                  the speedup.",
    },
    Term {
        id: "main-thread",
        term: "Main thread",
        meaning: "The one thread that runs the page: it draws frames, answers clicks and runs the \
                  code after each await. Work that holds it freezes the page; the cook taking the \
                  orders should not also chop.",
    },
    Term {
        id: "long-task",
        term: "Long task",
        meaning: "A piece of work that held the main thread for more than 50 ms, long enough for a \
                  click to feel slow. Chromium reports them; the lab also watches frames and a \
                  heartbeat, for browsers that do not.",
    },
    Term {
        id: "frame",
        term: "Frame",
        meaning: "One picture the browser draws. A free main thread draws one every 16.7 ms (60 \
                  a second); a frame time well above that is a stutter or a freeze.",
    },
    Term {
        id: "cross-origin-isolated",
        term: "Cross-origin isolated",
        meaning: "A page served with two headers (Cross-Origin-Opener-Policy and \
                  Cross-Origin-Embedder-Policy) that let it share memory with web workers, which \
                  WebAssembly threads need. Without them the parallel labs are off.",
    },
    Term {
        id: "service-worker",
        term: "Service worker",
        meaning: "A script the browser runs beside the page that can answer the page's requests. \
                  The lab's simulated server is one: it answers after the service time you set, \
                  with the capacity you set, so the waits are real but nothing leaves the machine.",
    },
];

/// The term with this id.
pub fn find(id: &str) -> Option<&'static Term> {
    GLOSSARY.iter().find(|term| term.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_anchors() {
        for (i, term) in GLOSSARY.iter().enumerate() {
            assert!(
                term.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                term.id
            );
            assert!(GLOSSARY[i + 1..].iter().all(|other| other.id != term.id));
            assert!(term.meaning.len() > 60, "{} says too little", term.id);
        }
    }

    #[test]
    fn every_term_is_found_by_its_id() {
        for term in &GLOSSARY {
            assert_eq!(find(term.id), Some(term));
        }
        assert_eq!(find("nothing"), None);
    }
}

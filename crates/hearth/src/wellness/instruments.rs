//! The PHQ-9 and the GAD-7, word for word as published (English, and the
//! official Spanish for the USA), their scores and their severity bands.
//! Their text lives here, not in the locale files: the items must not
//! drift from the published wording through a translator's edit.
//!
//! Both were developed by Drs. Robert L. Spitzer, Janet B.W. Williams,
//! Kurt Kroenke and colleagues, with an educational grant from Pfizer
//! Inc.; no permission is required to reproduce, translate, display or
//! distribute them.

use serde::{Deserialize, Serialize};

use crate::web::i18n::Lang;

/// A questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Phq9,
    Gad7,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Phq9 => "phq9",
            Kind::Gad7 => "gad7",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "phq9" => Some(Kind::Phq9),
            "gad7" => Some(Kind::Gad7),
            _ => None,
        }
    }

    /// How many items it has.
    pub fn items(self) -> usize {
        match self {
            Kind::Phq9 => 9,
            Kind::Gad7 => 7,
        }
    }

    /// The highest score: three for each item.
    pub fn max(self) -> u8 {
        match self {
            Kind::Phq9 => 27,
            Kind::Gad7 => 21,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Phq9 => "PHQ-9",
            Kind::Gad7 => "GAD-7",
        }
    }

    /// The severity band of a score.
    pub fn band(self, score: u8) -> Band {
        match (self, score) {
            (_, 0..=4) => Band::Minimal,
            (_, 5..=9) => Band::Mild,
            (_, 10..=14) => Band::Moderate,
            (Kind::Phq9, 15..=19) => Band::ModeratelySevere,
            _ => Band::Severe,
        }
    }

    /// The published text in `lang`.
    pub fn text(self, lang: Lang) -> &'static Text {
        match (self, lang) {
            (Kind::Phq9, Lang::En) => &PHQ9_EN,
            (Kind::Phq9, Lang::Es) => &PHQ9_ES,
            (Kind::Gad7, Lang::En) => &GAD7_EN,
            (Kind::Gad7, Lang::Es) => &GAD7_ES,
        }
    }
}

/// How severe a score is, as the instrument's authors band it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Minimal,
    Mild,
    Moderate,
    /// PHQ-9 only (15–19).
    ModeratelySevere,
    Severe,
}

impl Band {
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Minimal => "minimal",
            Band::Mild => "mild",
            Band::Moderate => "moderate",
            Band::ModeratelySevere => "moderately_severe",
            Band::Severe => "severe",
        }
    }
}

/// A questionnaire's words.
pub struct Text {
    pub title: &'static str,
    pub question: &'static str,
    pub items: &'static [&'static str],
    /// The four answers, scored 0 to 3.
    pub answers: [&'static str; 4],
    pub difficulty: &'static str,
    pub difficulty_answers: [&'static str; 4],
    pub attribution: &'static str,
}

const ATTRIBUTION_EN: &str = "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.";
const ATTRIBUTION_ES: &str = "Elaborado por los doctores Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke y colegas, mediante una subvención educativa otorgada por Pfizer Inc. No se requiere permiso para reproducir, traducir, presentar o distribuir.";
const DIFFICULTY_EN: &str = "If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?";
const DIFFICULTY_ES: &str = "Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas para hacer su trabajo, encargarse de las tareas del hogar, o llevarse bien con otras personas?";
const DIFFICULTY_ANSWERS_EN: [&str; 4] = [
    "Not difficult at all",
    "Somewhat difficult",
    "Very difficult",
    "Extremely difficult",
];
const DIFFICULTY_ANSWERS_ES: [&str; 4] = [
    "No ha sido difícil",
    "Un poco difícil",
    "Muy difícil",
    "Extremadamente difícil",
];
const ANSWERS_EN: [&str; 4] = [
    "Not at all",
    "Several days",
    "More than half the days",
    "Nearly every day",
];

pub static PHQ9_EN: Text = Text {
    title: "Patient Health Questionnaire (PHQ-9)",
    question: "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items: &[
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself \u{2014} or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite \u{2014} being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ],
    answers: ANSWERS_EN,
    difficulty: DIFFICULTY_EN,
    difficulty_answers: DIFFICULTY_ANSWERS_EN,
    attribution: ATTRIBUTION_EN,
};

pub static PHQ9_ES: Text = Text {
    title: "Cuestionario sobre la salud del paciente (PHQ-9)",
    question: "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?",
    items: &[
        "Poco interés o placer en hacer cosas",
        "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
        "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado",
        "Se ha sentido cansado(a) o con poca energía",
        "Sin apetito o ha comido en exceso",
        "Se ha sentido mal con usted mismo(a) \u{2013} o que es un fracaso o que ha quedado mal con usted mismo(a) o con su familia",
        "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o ver la televisión",
        "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario \u{2013} muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal",
        "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
    ],
    answers: [
        "Ningún día",
        "Varios días",
        "Más de la mitad de los días",
        "Casi todos los días",
    ],
    difficulty: DIFFICULTY_ES,
    difficulty_answers: DIFFICULTY_ANSWERS_ES,
    attribution: ATTRIBUTION_ES,
};

pub static GAD7_EN: Text = Text {
    title: "Generalized Anxiety Disorder 7-item (GAD-7)",
    question: "Over the last 2 weeks, how often have you been bothered by the following problems?",
    items: &[
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ],
    answers: ANSWERS_EN,
    difficulty: DIFFICULTY_EN,
    difficulty_answers: DIFFICULTY_ANSWERS_EN,
    attribution: ATTRIBUTION_EN,
};

pub static GAD7_ES: Text = Text {
    title: "Escala del trastorno de ansiedad generalizada (GAD-7)",
    question: "Durante las últimas 2 semanas, ¿con qué frecuencia le han molestado los siguientes problemas?",
    items: &[
        "Sentirse nervioso/a, intranquilo/a o con los nervios de punta",
        "No poder dejar de preocuparse o no poder controlar la preocupación",
        "Preocuparse demasiado por diferentes cosas",
        "Dificultad para relajarse",
        "Estar tan inquieto/a que es difícil permanecer sentado/a tranquilamente",
        "Molestarse o ponerse irritable fácilmente",
        "Sentir miedo como si algo terrible fuera a pasar",
    ],
    answers: [
        "Nunca",
        "Varios días",
        "Más de la mitad de los días",
        "Casi todos los días",
    ],
    difficulty: DIFFICULTY_ES,
    difficulty_answers: DIFFICULTY_ANSWERS_ES,
    attribution: ATTRIBUTION_ES,
};

/// Why a set of answers is not a completed questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incomplete {
    /// Not every item answered (the index of the first missing one).
    Missing(usize),
    /// More answers than items.
    TooMany,
    /// An answer outside 0–3 (its item's index).
    OutOfRange(usize),
}

/// The total of a complete set of answers, each 0 to 3.
pub fn score(kind: Kind, answers: &[Option<u8>]) -> Result<u8, Incomplete> {
    if answers.len() > kind.items() {
        return Err(Incomplete::TooMany);
    }
    let mut total: u8 = 0;
    for i in 0..kind.items() {
        let a = answers
            .get(i)
            .copied()
            .flatten()
            .ok_or(Incomplete::Missing(i))?;
        if a > 3 {
            return Err(Incomplete::OutOfRange(i));
        }
        total += a;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(kind: Kind, total: u8) -> Vec<Option<u8>> {
        // Spread `total` over the items, three at most each.
        let mut left = total;
        (0..kind.items())
            .map(|_| {
                let a = left.min(3);
                left -= a;
                Some(a)
            })
            .collect()
    }

    #[test]
    fn every_band_boundary_of_both() {
        let phq9: &[(u8, Band)] = &[
            (0, Band::Minimal),
            (4, Band::Minimal),
            (5, Band::Mild),
            (9, Band::Mild),
            (10, Band::Moderate),
            (14, Band::Moderate),
            (15, Band::ModeratelySevere),
            (19, Band::ModeratelySevere),
            (20, Band::Severe),
            (27, Band::Severe),
        ];
        let gad7: &[(u8, Band)] = &[
            (0, Band::Minimal),
            (4, Band::Minimal),
            (5, Band::Mild),
            (9, Band::Mild),
            (10, Band::Moderate),
            (14, Band::Moderate),
            (15, Band::Severe),
            (21, Band::Severe),
        ];
        for (kind, table) in [(Kind::Phq9, phq9), (Kind::Gad7, gad7)] {
            for &(total, band) in table {
                let a = answers(kind, total);
                assert_eq!(score(kind, &a), Ok(total), "{} {total}", kind.name());
                assert_eq!(kind.band(total), band, "{} {total}", kind.name());
            }
        }
    }

    #[test]
    fn partial_oversized_and_out_of_range_answers_are_refused() {
        let mut a = answers(Kind::Phq9, 12);
        a[4] = None;
        assert_eq!(score(Kind::Phq9, &a), Err(Incomplete::Missing(4)));
        assert_eq!(
            score(Kind::Phq9, &[Some(1); 8]),
            Err(Incomplete::Missing(8))
        );
        assert_eq!(score(Kind::Gad7, &[Some(0); 8]), Err(Incomplete::TooMany));
        let mut a = answers(Kind::Gad7, 3);
        a[6] = Some(4);
        assert_eq!(score(Kind::Gad7, &a), Err(Incomplete::OutOfRange(6)));
    }

    #[test]
    fn each_text_has_every_item() {
        for kind in [Kind::Phq9, Kind::Gad7] {
            for lang in [Lang::En, Lang::Es] {
                assert_eq!(kind.text(lang).items.len(), kind.items());
            }
        }
    }
}

// The contract between the NLU models (src/dialog/nlu/), the catalog gazetteers and price rules, and the
// dialog (state, policy, responses). Everything the dialog knows about an utterance is an NluResult.

/** A labelled span in an utterance, by character offsets into `text` (works for Chinese and English). */
export interface EntitySpan {
  /** Slot type, e.g. `brand`, `category`, `color`, `size`, `price_max`, `product`. */
  type: string;
  /** Canonical value after synonyms (e.g. `蓝色` → `blue` when a synonym maps it); else the raw text. */
  value: string;
  start: number;
  end: number;
}

/** Emotion labels of the shopper's message; `angry` covers angry or frustrated. */
export const EMOTIONS = ['positive', 'neutral', 'negative', 'angry'] as const;
export type Emotion = (typeof EMOTIONS)[number];

/** One training utterance in Shopwise's own format (Rasa-style YAML/JSON reads into this). */
export interface TrainingExample {
  text: string;
  /** Intent label; `out_of_scope` is the trained out-of-scope class. */
  intent: string;
  entities: EntitySpan[];
  /** Optional emotion label, used to train the emotion classifier. */
  emotion?: Emotion;
}

/** A training set: examples plus synonyms and lookup tables (gazetteers), as in Rasa NLU data. */
export interface TrainingSet {
  examples: TrainingExample[];
  /** Surface form (lower-cased) → canonical value. */
  synonyms: Record<string, string>;
  /** Lookup table name (a slot type) → known values. */
  lookups: Record<string, string[]>;
}

/** A slot found in an utterance, with where it came from. */
export interface Slot extends EntitySpan {
  /** The raw surface text. */
  raw: string;
  source: 'model' | 'gazetteer' | 'rule';
  /** Model confidence in [0, 1]; 1 for gazetteer and rule matches. */
  confidence: number;
}

export interface NluResult {
  text: string;
  /** Detected language of the text; `mixed` when both scripts carry words. */
  language: 'zh' | 'en' | 'mixed';
  intent: { name: string; confidence: number };
  /** True when the intent classifier's confidence is under its threshold or it chose `out_of_scope`. */
  outOfScope: boolean;
  /** Ranked alternatives, best first (at least the top 3 when there are that many intents). */
  intentRanking: Array<{ name: string; confidence: number }>;
  slots: Slot[];
  emotion: { label: Emotion; confidence: number };
}

/** Anything that turns text into an NluResult (the trained models plus gazetteers and rules). */
export interface NluParser {
  parse(text: string): Promise<NluResult>;
}

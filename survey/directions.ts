/**
 * The four research directions a survey is organised by: their ids (a contract shared by
 * the command line, the API and the app), their names, the descriptions the encoder turns
 * into prototypes, and the lexical cues read from titles and abstracts.
 *
 * The descriptions are written the way abstracts are ("We propose…"), because a sentence
 * encoder places text near text of the same register. The cues are general vocabulary of
 * each kind of work, not words picked from any particular paper.
 */

export const DIRECTION_IDS = ['efficiency', 'existing-models', 'plug-and-play', 'datasets-evaluation'] as const;

export type DirectionId = (typeof DIRECTION_IDS)[number];

/**
 * Facts about a whole paper (read from its title and abstract) that change what some cue words
 * mean. Each is a pattern matched like a cue.
 */
export const CONTEXTS = {
  // Training a small add-on while the pretrained model stays frozen: parameter-efficient
  // fine-tuning, the first kind of efficiency work the issue lists. In such a paper "frozen",
  // "few-shot", "prompts" and the names of large models describe the setting, not a model
  // used as it is.
  peft: [
    'parameter[- ]efficient|efficient (?:fine[- ]?tuning|adaptation|transfer)|peft',
    'prompt[- ]tuning|prefix[- ]tuning|soft prompts?|continuous prompts?|p[- ]tuning|prompt embeddings',
    'adapters?|adapter[- ]tuning|lora|low[- ]rank adaptation',
    'trainable (?:\\w+ ){0,2}(?:prompts?|parameters|embeddings|vectors|tokens)',
    // Not "fewer parameters" alone: that is a smaller model, not a small trained add-on.
    '(?:small|tiny) (?:number|fraction|set|amount) of (?:trainable |tunable |extra |additional )parameters',
    'fewer (?:trainable|tunable) parameters',
  ],
  // Saying that the contribution is added to others' models: what makes a module, block or
  // layer plug-and-play rather than a new model of its own.
  addOn: [
    'plug[- ]and[- ]play|plug[- ]in|drop[- ]in|add[- ]on|on top of|model[- ]agnostic|architecture[- ]agnostic',
    '(?:insert|integrat|incorporat|plugg|embedd|appl)\\w* (?:\\w+ ){0,3}(?:in|into|to) (?:\\w+ ){0,2}' +
      '(?:existing|standard|any|various|different|many|popular|modern|off[- ]the[- ]shelf|mainstream|' +
      'state[- ]of[- ]the[- ]art)',
    '(?:various|different|several|many|multiple|existing|standard|popular|modern|mainstream|other) ' +
      '(?:\\w+ )?(?:backbones?|architectures|models|networks|cnns|detectors|methods|baselines)',
    'any (?:\\w+ )?(?:model|network|architecture|backbone|cnn)|general[- ]purpose|generic',
    'consistent(?:ly)?|easily|seamlessly|negligible (?:\\w+ ){0,2}(?:overhead|cost)|little (?:extra|additional)',
  ],
} as const;

export type ContextId = keyof typeof CONTEXTS;

/** A word or phrase that hints at a direction, with how strongly it does. */
export interface Cue {
  /** A regular expression source (or alternatives), matched case-insensitively on word boundaries. */
  pattern: string | string[];
  weight: number;
  /** In a paper with this context, the cue speaks for another direction (or, with null, for none). */
  redirect?: { when: ContextId; to: DirectionId | null };
  /** Without this context in the paper, the cue counts only `factor` of its weight. */
  damp?: { unless: ContextId; factor: number };
}

export interface Direction {
  id: DirectionId;
  name: string;
  /** One paragraph for people (README, tooltips, the outline's section intro). */
  description: string;
  /** Sentences in the register of abstracts; their embeddings are the zero-shot prototype. */
  prototypes: string[];
  cues: Cue[];
}

export const DIRECTIONS: readonly Direction[] = [
  {
    id: 'efficiency',
    name: 'Efficiency',
    description:
      'Parameter-efficient fine-tuning (adapters, prompt and prefix tuning, LoRA), compression, quantization, ' +
      'pruning, distillation, cheaper attention, and training or serving large models with less compute or memory.',
    prototypes: [
      'We propose a parameter-efficient fine-tuning method that trains only a small number of added parameters ' +
        'while the pretrained model stays frozen.',
      'Adapters, prompt tuning, prefix tuning and low-rank adaptation (LoRA) match full fine-tuning with a ' +
        'fraction of the trainable parameters.',
      'We compress neural networks by quantization to low-bit weights, pruning and knowledge distillation into ' +
        'a smaller student model.',
      'Our method reduces memory usage, FLOPs and inference latency, giving a large speedup with little loss in ' +
        'accuracy.',
      'We make attention cheaper with a linear-complexity approximation so that long sequences can be processed ' +
        'efficiently.',
      'We train and serve very large models on limited hardware by reducing GPU memory and communication cost.',
    ],
    cues: [
      { pattern: 'parameter[- ]efficient|efficient fine[- ]?tuning|peft', weight: 3 },
      { pattern: 'adapters?|adapter[- ]tuning|lora|low[- ]rank adaptation|low[- ]rank', weight: 2.5 },
      { pattern: 'prompt[- ]tuning|prefix[- ]tuning|soft prompts?|continuous prompts?|p[- ]tuning', weight: 2.5 },
      { pattern: 'quantiz\\w*|low[- ]bit|[248][- ]bit|int[48]|binar(?:y|ized) (?:weights|networks?)', weight: 2.5 },
      { pattern: 'prun\\w*|sparsit\\w*|sparse (?:models?|networks?|attention)', weight: 2 },
      { pattern: 'compress\\w*|distill\\w*|student (?:model|network)', weight: 2 },
      // Every paper calls itself efficient somewhere; the word alone says little.
      { pattern: 'efficien(?:t|cy|tly)', weight: 0.5 },
      {
        pattern:
          'memory (?:footprint|usage|consumption|cost|savings?|efficient)|(?:gpu|device) memory|out[- ]of[- ]memory',
        weight: 1.5,
      },
      {
        pattern: [
          'flops',
          'latency',
          'throughput',
          'speed[- ]?ups?',
          'faster',
          'inference (?:cost|time|speed)',
          'training (?:cost|time)',
        ],
        weight: 1.5,
      },
      { pattern: 'linear (?:complexity|attention|time)|quadratic (?:complexity|cost)|sub[- ]?quadratic', weight: 2 },
      {
        pattern: 'lightweight|mobile|edge devices?|on[- ]device|resource[- ]constrained|commodity hardware',
        weight: 1.5,
      },
      {
        pattern:
          'fewer (?:trainable )?parameters|trainable parameters|small (?:number|fraction) of (?:the )?parameters',
        weight: 2,
      },
      {
        pattern:
          'mixed[- ]precision|model parallel\\w*|data parallel\\w*|pipeline parallel\\w*|(?:trillion|billion)[- ' +
          ']parameter',
        weight: 1.5,
      },
      { pattern: 'architecture search|neural architecture|nas', weight: 1 },
      {
        pattern:
          'mixture[- ]of[- ]experts|conditional computation|adaptive computation|depthwise|separable ' +
          'convolutions?|real[- ]time',
        weight: 1.5,
      },
      {
        pattern:
          'cheap(?:er|ly)?|less (?:compute|computation|memory)|reduc\\w+ (?:the )?(?:cost|compute|computation|memory)',
        weight: 1.5,
      },
      {
        pattern: [
          'computation(?:al)? (?:cost|budget|overhead|burden|resources)',
          'amount of computation',
          'heavy computation',
        ],
        weight: 1.5,
      },
      {
        pattern:
          '(?:extra|additional|trainable|updat\\w+|tun\\w+|new) (?:\\w+ ){0,2}parameters|parameters? ' +
          '(?:count|budget|overhead)',
        weight: 1.5,
      },
    ],
  },
  {
    id: 'existing-models',
    name: 'Existing models & new directions',
    description:
      "Work built on others' pretrained models used as they are (zero- or few-shot, frozen features, several " +
      'pretrained models chained into a pipeline, prompting an LLM), or work that opens a young research direction.',
    prototypes: [
      'We use a large pretrained language model as it is, without any fine-tuning, and solve the task zero-shot ' +
        'by prompting it.',
      'Few-shot in-context learning with GPT-style large language models performs new tasks from a handful of ' +
        'demonstrations.',
      'We chain several off-the-shelf pretrained models, such as CLIP and a language model, into a pipeline for ' +
        'a new application.',
      'Frozen features from a pretrained foundation model transfer to downstream tasks without training.',
      'We introduce a new task and a new research direction, and show that existing models can already be ' +
        'applied to it.',
      'Large language models act as agents and planners that reason, use tools and generate plans.',
    ],
    cues: [
      // In a paper that trains prompts or adapters these name the setting (see CONTEXTS.peft).
      { pattern: 'zero[- ]shot|few[- ]shot|one[- ]shot', weight: 2.5, redirect: { when: 'peft', to: null } },
      {
        pattern: [
          'in[- ]context learning',
          'prompting',
          'prompts? (?:an? )?(?:llms?|language models?)',
          'chain[- ]of[- ]thought',
        ],
        weight: 2.5,
        redirect: { when: 'peft', to: null },
      },
      // Naming a large model is a topic, not a kind of contribution: papers that study or
      // compress LLMs name them too, so these weigh less than the cues of using one as it is.
      {
        pattern: 'large language models?|llms?|gpt-?[234]?(?:\\.5)?|chatgpt|foundation models?|instruction[- ]tuned',
        weight: 1,
        redirect: { when: 'peft', to: null },
      },
      {
        pattern: 'pre-?trained (?:language |vision |vision-language )?models?|off[- ]the[- ]shelf|existing models?',
        weight: 1.5,
        redirect: { when: 'peft', to: null },
      },
      {
        pattern:
          'frozen|without (?:any )?(?:further )?(?:training|fine[- ]?tuning)|training[- ]free|no (?:additional ' +
          ')?training',
        weight: 2,
        // A frozen model with a small trained add-on is parameter-efficient fine-tuning.
        redirect: { when: 'peft', to: 'efficiency' },
      },
      {
        pattern: 'clip|bert|t5|llama|segment anything|sam|stable diffusion|diffusion models?',
        weight: 1,
        redirect: { when: 'peft', to: null },
      },
      {
        pattern: 'pipeline|combin\\w+ (?:several|multiple|existing)|compos\\w+ (?:of )?(?:pre-?trained|existing)',
        weight: 1,
      },
      { pattern: 'agents?|planners?|planning|tool use|reasoning', weight: 1 },
      {
        pattern:
          'new (?:task|paradigm|direction|problem|framework for)|novel (?:task|paradigm|problem)|first ' +
          '(?:work|attempt|to)',
        weight: 1.5,
      },
      { pattern: 'generative models?|generat\\w+ (?:images|text)|text[- ]to[- ]image', weight: 1 },
      {
        pattern:
          'pre-?train\\w* (?:on|with) (?:large|massive|web)|fine-?tun\\w+ (?:a |the )?pre-?trained|transfers? ' +
          '(?:well )?to',
        weight: 1.5,
      },
      {
        pattern: 'transfer learning|domain adaptation|representations? learned|self[- ]supervised|unsupervised',
        weight: 1,
      },
      { pattern: 'retriev\\w+|knowledge|emergent|scal(?:ing|e) (?:up|laws?)', weight: 1 },
    ],
  },
  {
    id: 'plug-and-play',
    name: 'Plug-and-play',
    description:
      'A module, an objective or loss, a decoding or prompting add-on, or a data augmentation that gives a ' +
      'consistent gain when added to existing models.',
    prototypes: [
      'We propose a simple plug-and-play module that can be inserted into existing network architectures and ' +
        'consistently improves their accuracy.',
      'A new loss function and training objective, added to standard models, yields consistent gains across ' +
        'backbones and benchmarks.',
      'We introduce a data augmentation technique that improves generalization of many different models at no ' +
        'extra cost.',
      'A new decoding strategy applied on top of existing language models improves the quality of generated text.',
      'We replace a standard layer with a new normalization, activation or attention block and obtain better ' +
        'results on several tasks.',
      'Our regularization technique is easy to implement and can be added to any neural network.',
    ],
    cues: [
      { pattern: 'plug[- ]and[- ]play|plug[- ]in|drop[- ]in|add[- ]on|off[- ]the[- ]shelf module', weight: 3 },
      {
        pattern:
          'simple (?:yet|but|and) (?:effective|powerful)|easy to implement|easily ' +
          '(?:integrated|plugged|incorporated|applied)',
        weight: 2,
      },
      {
        pattern:
          'consistent(?:ly)? (?:gains?|improve\\w*|boosts?|outperform\\w*)|improves? (?:the ' +
          ')?(?:performance|accuracy|results?) of (?:various|many|several|existing|different)',
        weight: 2.5,
      },
      // A module, block or layer is plug-and-play when it is added to others' models; a paper
      // that builds a whole new network from them (and says nothing of adding it) is not.
      { pattern: 'modules?|blocks?|units?|layers?', weight: 0.75, damp: { unless: 'addOn', factor: 0.5 } },
      { pattern: 'loss(?: functions?)?|objectives?|regulari[sz]\\w*|auxiliary', weight: 1.5 },
      { pattern: '(?:data )?augmentation|mixup|dropout', weight: 2 },
      {
        pattern: 'normali[sz]ation|activation functions?|attention (?:mechanism|module)|residual|skip connections?',
        weight: 1.5,
        damp: { unless: 'addOn', factor: 0.5 },
      },
      { pattern: 'decoding|sampling strategy|beam search|contrastive (?:decoding|search)', weight: 1.5 },
      {
        pattern:
          '(?:various|different|several|many|multiple|existing) (?:backbones?|architectures|models|networks|methods)',
        weight: 1.5,
      },
      {
        pattern:
          'generic|general[- ]purpose|model[- ]agnostic|architecture[- ]agnostic|any (?:model|network|architecture)',
        weight: 1.5,
      },
      {
        pattern:
          'on top of|in(?:to|corporat\\w+ into) (?:existing|standard)|replac\\w+ (?:the )?(?:standard|conventional)',
        weight: 1.5,
      },
      { pattern: 'boosts?|improv\\w+ (?:the )?(?:performance|generalization|robustness)', weight: 0.75 },
    ],
  },
  {
    id: 'datasets-evaluation',
    name: 'Datasets, evaluation & surveys',
    description: 'New datasets and benchmarks, evaluation and analysis studies, surveys and overviews of a field.',
    prototypes: [
      'We introduce a new large-scale dataset and benchmark with human annotations to evaluate models on this task.',
      'We present a comprehensive survey and taxonomy of existing methods, and discuss open challenges and ' +
        'future directions.',
      'We conduct an extensive empirical evaluation and analysis that compares many existing methods under a ' +
        'common protocol.',
      'Our study investigates what these models learn and finds surprising failure modes and limitations.',
      'We release a benchmark suite, evaluation metrics and a public leaderboard for measuring progress.',
      'This paper reviews the literature and gives an overview of the state of the art.',
    ],
    cues: [
      {
        pattern:
          'surveys?|overview|taxonomy|literature review|tutorial|systematic review|roadmap|position ' +
          'paper|perspectives?',
        weight: 3,
      },
      {
        pattern:
          '(?:we|this (?:paper|article)) (?:review|summari[sz]e|categori[sz]e)\\w*|review (?:of|the) ' +
          '(?:recent|existing|the)',
        weight: 2.5,
      },
      // Making a dataset or benchmark, not merely running on one ("experiments on five datasets").
      {
        pattern:
          '(?:new|novel|large[- ]scale|first|challenging|diverse|curated|annotated|human[- ' +
          ']annotated|multilingual)(?:[- ]\\w+){0,3}[- ](?:datasets?|benchmarks?|corpus|corpora|testbeds?|test ' +
          'sets?)',
        weight: 3,
      },
      {
        pattern:
          '(?:introduce|present|release|collect|construct|build|create|propose|curate)\\w* (?:\\w+ ' +
          '){0,4}(?:datasets?|benchmarks?|corpus|corpora|suite)',
        weight: 3,
      },
      {
        pattern:
          'leaderboard|test suites?|challenge sets?|crowd-?sourc\\w+|human[- ]labeled|annotators?|human ' +
          '(?:evaluation|judgments?)',
        weight: 2,
      },
      { pattern: 'datasets?|benchmarks?|corpus|corpora', weight: 0.3 },
      {
        pattern:
          '(?:empirical|systematic|comprehensive|extensive|large[- ]scale|thorough|careful|comparative) ' +
          '(?:study|evaluation|analysis|comparison|investigation|assessment)',
        weight: 2.5,
      },
      {
        pattern:
          'we (?:\\w+ly )?(?:evaluate|compare|analy[sz]e|investigate|study|examine|benchmark|assess|probe|measure)',
        weight: 1.5,
      },
      { pattern: 'evaluation (?:framework|protocol|suite|methodology|metrics?)|metrics?', weight: 1 },
      { pattern: 'analy[sz]\\w+|investigat\\w+|understanding|probing', weight: 0.75 },
      {
        pattern: 'interpretab\\w+|explainab\\w+|mechanistic|what (?:\\w+ ){0,3}(?:learn|encode|represent)',
        weight: 1.5,
      },
      { pattern: 'findings|insights?|surprising(?:ly)?|limitations|failure modes?|lessons', weight: 1.25 },
      {
        pattern: 'open (?:challenges|problems|questions)|future (?:directions|research)|state of the art in',
        weight: 1.5,
      },
    ],
  },
];

export function isDirectionId(s: string): s is DirectionId {
  return (DIRECTION_IDS as readonly string[]).includes(s);
}

export function directionById(id: DirectionId): Direction {
  return DIRECTIONS.find((d) => d.id === id)!;
}

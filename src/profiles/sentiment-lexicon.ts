/**
 * A small bilingual sentiment lexicon for review text, until the dialog work brings a trained model.
 * English words are matched as whole lower-case tokens; Chinese words as substrings (longest first), so
 * compounds that contain a negator but mean the opposite (不错 "not bad" = good, 不值 "not worth") are
 * listed as words of their own.
 */

export const POSITIVE_EN: readonly string[] = [
  'good', 'great', 'excellent', 'love', 'loved', 'loves', 'lovely', 'perfect', 'perfectly', 'happy', 'amazing', 'awesome', 'nice', 'recommend',
  'recommended', 'fast', 'quick', 'best', 'better', 'beautiful', 'wonderful', 'satisfied', 'comfortable', 'worth', 'helpful', 'pleased',
  'fantastic', 'superb', 'solid', 'sturdy', 'reliable', 'works', 'fine', 'okay', 'ok', 'value', 'bargain', 'gorgeous', 'cute', 'fresh',
  'delicious', 'durable', 'impressive', 'special', 'exactly', 'well',
];

export const NEGATIVE_EN: readonly string[] = [
  'bad', 'poor', 'poorly', 'terrible', 'awful', 'horrible', 'broke', 'broken', 'breaks', 'damaged', 'disappointed', 'disappointing', 'worst',
  'worse', 'slow', 'hate', 'hated', 'useless', 'waste', 'overpriced', 'expensive', 'wrong', 'refund', 'fake', 'defective', 'faulty', 'hassle',
  'late', 'cheaply', 'flimsy', 'ugly', 'smell', 'smells', 'leaked', 'leaks', 'missing', 'scratched', 'uncomfortable', 'problem', 'problems',
  'return', 'returned', 'returning', 'complaint', 'rude', 'unhappy', 'annoying',
];

/** A negator flips the polarity of the next lexicon word within `NEGATION_WINDOW` tokens. */
export const NEGATORS_EN: readonly string[] = [
  'not', 'no', 'never', 'nothing', 'none', 'hardly', 'barely', 'without', "don't", "didn't", "doesn't", "isn't", "wasn't", "won't", "can't",
  "couldn't", "wouldn't", "aren't", "weren't", 'dont', 'didnt', 'doesnt', 'isnt', 'wasnt', 'wont', 'cant', 'nor', 'neither',
];
export const NEGATION_WINDOW = 3;

export const POSITIVE_ZH: readonly string[] = [
  '好', '很好', '非常好', '不错', '满意', '喜欢', '推荐', '快', '精细', '完好', '值得', '超值', '性价比高', '性价比很高', '好看', '漂亮', '舒服',
  '舒适', '实惠', '惊喜', '回购', '赞', '棒', '完美', '耐用', '正品', '贴心', '有问必答', '划算', '合理', '好用', '结实', '精致', '清晰',
  '新鲜', '好吃', '靠谱', '流畅', '物美价廉', '一如既往', '放心', '热情',
];

export const NEGATIVE_ZH: readonly string[] = [
  '差', '太差', '很差', '失望', '坏', '坏了', '破损', '不推荐', '退货', '退款', '麻烦', '慢', '贵', '偏贵', '太贵', '不值', '不符', '假货', '垃圾',
  '不理', '后悔', '糟糕', '难用', '不合适', '不好', '掉色', '异味', '瑕疵', '劣质', '一般', '凑合', '敷衍', '漏', '卡顿', '发霉', '过期', '投诉',
];

/** A single-character negator right before a Chinese lexicon word flips it (没 满意 → negative). */
export const NEGATORS_ZH: readonly string[] = ['不', '没', '无', '别', '未'];

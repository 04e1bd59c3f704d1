/**
 * Review sentences in Chinese and English by sentiment. A review is one or two sentences from the
 * list its rating falls in (1–2 negative, 3 neutral, 4–5 positive), so text and rating agree the way
 * a sentiment model expects.
 */
export type Sentiment = 'positive' | 'neutral' | 'negative';

export const REVIEW_PHRASES: Readonly<Record<Sentiment, { zh: readonly string[]; en: readonly string[] }>> = {
  positive: {
    zh: [
      '质量很好，做工精细。', '物流很快，包装完好。', '和描述的一样，非常满意。', '性价比很高，推荐购买。',
      '已经回购好几次了，一如既往的好。', '颜值很高，朋友都说好看。', '用了一段时间，效果不错。', '客服态度很好，有问必答。',
      '比想象中的还要好！', '送给家人的，他们很喜欢。',
    ],
    en: [
      'Great quality, very well made.', 'Fast delivery and well packaged.', 'Exactly as described, very happy.', 'Excellent value for money.',
      'I have bought this several times, always good.', 'Looks lovely, my friends love it.', 'Used it for a few weeks and it works great.',
      'Helpful customer service.', 'Even better than I expected!', 'Bought it as a gift and they loved it.',
    ],
  },
  neutral: {
    zh: ['还可以，中规中矩。', '东西一般，价格还算合理。', '物流有点慢，东西还行。', '和图片有些差别，但能接受。', '凑合用吧，没有惊喜。'],
    en: ['It is okay, nothing special.', 'Average product, fair price.', 'Shipping was slow but the product is fine.', 'A bit different from the photos, but acceptable.', 'Does the job, no surprises.'],
  },
  negative: {
    zh: ['质量太差了，不推荐。', '和描述完全不符，很失望。', '用了两天就坏了。', '尺寸不合适，退货很麻烦。', '包装破损，客服也不理人。', '价格偏贵，不值这个钱。'],
    en: ['Poor quality, would not recommend.', 'Nothing like the description, very disappointed.', 'Broke after two days.', 'Wrong size and returning it was a hassle.', 'Arrived damaged and support did not answer.', 'Overpriced for what you get.'],
  },
};

/**
 * Sentiment of a 1–5 rating.
 *
 * @example REVIEW_PHRASES[sentimentOf(5)].zh // positive Chinese sentences
 */
export function sentimentOf(rating: number): Sentiment {
  return rating >= 4 ? 'positive' : rating === 3 ? 'neutral' : 'negative';
}

/** Words shoppers add to searches, beside category, brand, colour and adjective words. */
export const QUERY_MODIFIERS: { zh: readonly string[]; en: readonly string[] } = {
  zh: ['便宜', '推荐', '新款', '正品', '包邮', '高端', '学生', '送礼'],
  en: ['cheap', 'best', 'new', 'sale', 'gift', 'premium', 'top rated'],
};

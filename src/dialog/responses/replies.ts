import type { Item } from '../../core/catalog.js';
import type { Emotion } from '../nlu.js';
import type { Action } from '../policy/policy.js';
import type { SearchSlots } from '../state/dialog-state.js';
import { colorName, compareItems, formatPrice, itemFact } from './item-facts.js';

/** A product as a reply lists it. */
export interface ProductLine {
  id: string;
  title: string;
  price: number | null;
  currency: string | null;
  sponsored: boolean;
}

export interface ReplyContext {
  language: 'zh' | 'en';
  emotion: Emotion;
  /** Picks among the template variants: the same seed gives the same reply. */
  seed: string;
  products: ProductLine[];
  slots: SearchSlots;
  /** Slots this turn changed (see TurnUpdate.changed). */
  changed: string[];
  /** Category names in the reply language, by canonical value. */
  categoryName: (value: string) => string;
  /** Items an action names, by id. */
  item: (id: string) => Item | undefined;
  itemTitle: (item: Item) => string;
}

type Lines = { zh: string[]; en: string[] };

const TEXT: Record<string, Lines> = {
  greet: { zh: ['您好！想找点什么？告诉我品类、品牌、颜色或预算都可以。', '你好呀，我是购物助手，想买什么随时告诉我～', '您好，欢迎光临！今天想看看什么？'], en: ['Hi! What are you looking for today? Tell me a category, brand, colour or budget.', "Hello! I'm the shopping assistant — what can I find for you?", 'Hey there! What would you like to shop for?'] },
  thank: { zh: ['不客气！还有需要随时找我。', '很高兴能帮到您～还想看看别的吗？', '不用谢，祝您购物愉快！'], en: ["You're welcome! Anything else I can find for you?", 'Happy to help! Want to look at anything else?', 'My pleasure — enjoy your shopping!'] },
  goodbye: { zh: ['再见，欢迎随时回来逛逛！', '好的，祝您生活愉快，再见～'], en: ['Bye! Come back any time.', 'Thanks for stopping by — see you soon!'] },
  redirect: { zh: ['这个我可帮不上忙，我只懂购物哦。想找什么商品吗？比如「300元以内的蓝色运动鞋」。', '抱歉，这超出了我的能力范围。我可以帮您找商品、比较商品、查订单或办理退换货。'], en: ["I'm afraid I can't help with that — I only know about shopping. Looking for a product? Try \"blue sneakers under 300\".", "Sorry, that's outside what I can do. I can find and compare products, check orders, and help with returns."] },
  ask_category: { zh: ['您想找哪类商品呢？比如连衣裙、耳机、运动鞋……', '可以告诉我想买的品类吗？这样我能帮您找得更准。'], en: ['What kind of product are you after — dresses, headphones, sneakers…?', 'Which category should I look in? That helps me find the right things.'] },
  handoff_asked: { zh: ['好的，正在为您转接人工客服，请稍候。', '没问题，马上帮您联系人工客服。'], en: ["Sure — I'm connecting you with a member of our team now.", 'Of course, let me hand you over to a person from our team.'] },
  handoff_angry: { zh: ['非常抱歉给您带来不好的体验，我马上为您转接人工客服处理。', '真的很抱歉，我这就请人工客服来帮您解决。'], en: ["I'm really sorry about this. I'm bringing in a member of our team to sort it out right away.", "I'm very sorry for the trouble — a person from our team will take over now."] },
  handoff_stuck: { zh: ['抱歉我没能帮上忙，我为您转接人工客服，他们会更好地帮您。', '看来我没理解到位，抱歉！已为您转接人工客服。'], en: ["Sorry I couldn't get this right — I'm handing you over to a colleague who can help.", "I'm not getting this right, sorry! A person from our team will take over."] },
  ask_which_add_to_cart: { zh: ['您想加购哪一款？可以说「第一个」「第二个」。'], en: ['Which one should I add? You can say "the first one", "the second one"…'] },
  ask_which_ask_attribute: { zh: ['您问的是哪一款呢？可以说「第一个」「第二个」，或者先告诉我想找什么。'], en: ['Which product do you mean? Say "the first one", "the second one"… or tell me what to look for first.'] },
  ask_which_compare: { zh: ['您想比较哪两款？比如「第一个和第二个」。'], en: ['Which two should I compare? For example "the first and the second".'] },
  order_ask: { zh: ['请提供一下订单号，我帮您记录并请客服跟进物流情况。', '可以告诉我订单号吗？我会把它转给客服查询。'], en: ["Could you give me the order number? I'll pass it on so our team can check the delivery.", "What's the order number? I'll note it and have our team follow up."] },
  order_follow: { zh: ['已记录订单 {order}。我这里查不到实时物流，客服会尽快跟进并联系您。'], en: ["I've noted order {order}. I can't see live delivery tracking here, so a member of our team will follow up with you shortly."] },
  return_ask: { zh: ['可以办理退换货。请提供订单号，并说明是退货、退款还是换货，客服会为您处理。'], en: ["Returns and exchanges are possible. Please give me the order number and whether you'd like a return, refund or exchange, and our team will take care of it."] },
  return_follow: { zh: ['已为订单 {order} 记录退换货申请，客服会联系您确认退回方式和退款时间。'], en: ["I've logged a return request for order {order}. Our team will contact you about how to send it back and when the refund arrives."] },
  complaint: { zh: ['非常抱歉！请告诉我具体遇到了什么问题（最好附上订单号），我会记录并请客服尽快处理；需要的话也可以直接转人工。'], en: ["I'm sorry to hear that. Tell me what went wrong (with the order number if you have it) and I'll log it for our team — or I can hand you over to a person right away."] },
  confirm_add: { zh: ['好的，已把「{title}」（{price}）加入购物车。还需要别的吗？', '没问题，「{title}」（{price}）已放进购物车～'], en: ['Done — "{title}" ({price}) is in your cart. Anything else?', 'Added "{title}" ({price}) to your cart.'] },
  no_results: { zh: ['抱歉，没有找到{desc}。要不要换个颜色、品牌或放宽预算？', '暂时没有{desc}，可以试试放宽一些条件。'], en: ["Sorry, I couldn't find {desc}. Try another colour, brand or a wider budget?", 'No {desc} right now — maybe loosen a filter?'] },
  relaxed: { zh: ['抱歉，没有找到{desc}，这些比较接近：', '暂时没有{desc}，您看看这些相近的：'], en: ["Sorry, I couldn't find {desc} — these come closest:", 'No {desc} right now; here is what comes closest:'] },
  no_cheaper: { zh: ['这已经是最便宜的{cat}了，没有更便宜的了。'], en: ['Those were already the cheapest {cat} — there is nothing cheaper.'] },
  show: { zh: ['为您找到{desc}：', '看看这些{desc}：', '这些{desc}您可能喜欢：'], en: ['Here are {desc}:', 'Take a look at these {desc}:', 'You might like these {desc}:'] },
};

const TONE: Record<Emotion, Lines> = {
  angry: { zh: ['非常抱歉，', '抱歉让您不满意了，'], en: ["I'm sorry about that. ", 'Apologies for the trouble. '] },
  negative: { zh: ['抱歉，', '不好意思，'], en: ['Sorry about that. ', 'Apologies. '] },
  positive: { zh: ['太好了！', '好嘞！'], en: ['Great! ', 'Awesome! '] },
  neutral: { zh: [''], en: [''] },
};

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function pick(lines: Lines, ctx: ReplyContext, salt: string): string {
  const list = lines[ctx.language];
  return list[hash(`${ctx.seed}\u0000${salt}`) % list.length]!;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/gu, (m, k: string) => values[k] ?? m);
}

/**
 * What a search looks for, in words, from the slots.
 *
 * @example describeSearch({ category: 'Sneakers', color: 'blue', priceMax: 300, excludedBrands: [] }, { language: 'en', categoryName: (v) => v }) // 'blue Sneakers under ¥300'
 */
export function describeSearch(slots: SearchSlots, ctx: Pick<ReplyContext, 'language' | 'categoryName'>): string {
  const zh = ctx.language === 'zh';
  const cat = slots.category ? ctx.categoryName(slots.category) : zh ? '商品' : 'products';
  const color = slots.color ? colorName(slots.color, ctx.language) : '';
  // A cap set under a shown price (288.99) reads as "under 289".
  const lo = slots.priceMin === undefined ? undefined : Math.round(slots.priceMin);
  const hi = slots.priceMax === undefined ? undefined : Math.round(slots.priceMax);
  const price = lo !== undefined && hi !== undefined ? (zh ? `${lo}到${hi}元的` : `between ¥${lo} and ¥${hi}`)
    : hi !== undefined ? (zh ? `${hi}元以内的` : `under ¥${hi}`) : lo !== undefined ? (zh ? `${lo}元以上的` : `over ¥${lo}`) : '';
  const size = slots.size ? (zh ? `${slots.size}码` : `in size ${slots.size}`) : '';
  if (zh) return `${price}${color}${slots.brand ?? ''}${cat}${size ? `（${size}）` : ''}`;
  return [color, slots.brand, cat, size, price].filter(Boolean).join(' ');
}

/**
 * The reply text of an action in the shopper's language (mixed text is answered in its main script),
 * its tone following the emotion (apologetic for negative and angry, cheerful for positive), one of a
 * few variants picked deterministically by the seed. Product lists are numbered so the shopper can
 * say "the second one"; sponsored products are marked as sponsored.
 *
 * @example composeReply({ type: 'greet' }, ctx) // 'Hi! What are you looking for today? …'
 */
export function composeReply(action: Action, ctx: ReplyContext): string {
  const tone = action.type === 'complaint' || (action.type === 'handoff' && action.reason === 'angry') ? '' : pick(TONE[ctx.emotion], ctx, 'tone');
  return tone + body(action, ctx);
}

function productLines(ctx: ReplyContext): string[] {
  const zh = ctx.language === 'zh';
  return ctx.products.map((p, i) => `${i + 1}. ${p.title} ${formatPrice(p.price, p.currency)}${p.sponsored ? (zh ? '（推广）' : ' (sponsored)') : ''}`);
}

function body(action: Action, ctx: ReplyContext): string {
  const zh = ctx.language === 'zh';
  switch (action.type) {
    case 'greet':
    case 'thank':
    case 'goodbye':
    case 'redirect':
    case 'complaint':
      return pick(TEXT[action.type]!, ctx, action.type);
    case 'ask_slot':
      return pick(TEXT.ask_category!, ctx, 'ask');
    case 'handoff':
      return pick(TEXT[`handoff_${action.reason}`]!, ctx, 'handoff');
    case 'ask_which':
      return pick(TEXT[`ask_which_${action.purpose}`]!, ctx, 'which');
    case 'order_status':
      return action.orderId ? fill(pick(TEXT.order_follow!, ctx, 'order'), { order: action.orderId }) : pick(TEXT.order_ask!, ctx, 'order');
    case 'return_refund':
      return action.orderId ? fill(pick(TEXT.return_follow!, ctx, 'return'), { order: action.orderId }) : pick(TEXT.return_ask!, ctx, 'return');
    case 'confirm_add': {
      const item = ctx.item(action.itemId);
      if (!item) return pick(TEXT.ask_which_add_to_cart!, ctx, 'which');
      return fill(pick(TEXT.confirm_add!, ctx, 'add'), { title: ctx.itemTitle(item), price: formatPrice(item.price, item.currency) });
    }
    case 'answer_attribute': {
      const item = ctx.item(action.itemId);
      return item ? itemFact(item, action.attribute, ctx.language) : pick(TEXT.ask_which_ask_attribute!, ctx, 'which');
    }
    case 'compare': {
      const [a, b] = [ctx.item(action.itemIds[0]), ctx.item(action.itemIds[1])];
      return a && b ? compareItems(a, b, ctx.language) : pick(TEXT.ask_which_compare!, ctx, 'which');
    }
    case 'no_results': {
      if (ctx.changed.includes('cheaper')) {
        const cat = ctx.slots.category ? ctx.categoryName(ctx.slots.category) : zh ? '商品' : 'products';
        return fill(pick(TEXT.no_cheaper!, ctx, 'none'), { cat });
      }
      if (action.relaxed) return [fill(pick(TEXT.relaxed!, ctx, 'none'), { desc: describeSearch(ctx.slots, ctx) }), ...productLines(ctx)].join('\n');
      return fill(pick(TEXT.no_results!, ctx, 'none'), { desc: describeSearch(ctx.slots, ctx) });
    }
    case 'show_products':
    case 'search': {
      const head = fill(pick(TEXT.show!, ctx, 'show'), { desc: describeSearch(ctx.slots, ctx) });
      return [head, ...productLines(ctx)].join('\n');
    }
  }
}

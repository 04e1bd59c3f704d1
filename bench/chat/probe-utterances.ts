// Hand-written utterances, none copied from the domain templates, to see how the domain NLU generalises.
export const PROBES: Array<[text: string, intent: string]> = [
  ['帮我看看有什么好看的连衣裙', 'search_product'], ['想入手一台笔记本电脑', 'search_product'], ['有卖瑜伽垫的吗', 'search_product'],
  ['need a new pair of running shoes', 'search_product'], ['got any good bluetooth speakers', 'search_product'], ['i am shopping for a sofa', 'search_product'],
  ['能再便宜些吗', 'refine'], ['换成白色的看看', 'refine'], ['只要素锦的', 'refine'],
  ['something a bit cheaper please', 'refine'], ['do they come in green', 'refine'], ['only show me ones under 200', 'refine'],
  ['这两款哪个更耐用', 'compare'], ['第一个跟第三个差别大吗', 'compare'], ['which of the two is lighter', 'compare'], ['how is the first different from the second', 'compare'],
  ['第一个是纯棉的吗', 'ask_attribute'], ['这款还有库存吗', 'ask_attribute'], ['is the third one waterproof', 'ask_attribute'], ['what is the second one made from', 'ask_attribute'],
  ['第二个给我来一件', 'add_to_cart'], ['那就买第一个', 'add_to_cart'], ['put the third one in my basket', 'add_to_cart'], ["i'll buy the first one", 'add_to_cart'],
  ['我的包裹怎么还没到', 'order_status'], ['帮我看下订单发货没有', 'order_status'], ['when will my parcel be delivered', 'order_status'], ['has order SW123456 shipped yet', 'order_status'],
  ['衣服太小了想退掉', 'return_refund'], ['钱什么时候退给我', 'return_refund'], ['i would like to send this back', 'return_refund'], ['how long does a refund take', 'return_refund'],
  ['你们这服务也太差了吧', 'complaint'], ['东西收到就是坏的', 'complaint'], ['this is the worst service ever', 'complaint'], ['the item arrived damaged', 'complaint'],
  ['嗨，你好', 'greeting'], ['hey, good evening', 'greeting'], ['谢谢你的推荐', 'thanks'], ['cheers, that was helpful', 'thanks'],
  ['帮我转人工客服吧', 'human_agent'], ['let me speak to a human being', 'human_agent'], ['好的，拜拜', 'goodbye'], ["ok that's all, goodbye", 'goodbye'],
  ['北京明天多少度', 'out_of_scope'], ['给我讲个故事', 'out_of_scope'], ['what time is it in london', 'out_of_scope'], ['can you do my math homework', 'out_of_scope'],
];

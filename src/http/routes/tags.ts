import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import { interestTree } from '../../profiles/interest-tree.js';
import type { UserProfile } from '../../profiles/profile.js';
import type { TagTreeNode } from '../../profiles/tag-tree.js';
import type { TrendingTag } from '../../profiles/vocabulary-tracker.js';
import type { Keyword } from '../../text/keywords.js';
import { ErrorSchema, IdParams } from './shared.js';

/** What the routes read: the tag trees, the vocabulary tracker and the profiles. */
export interface TagRouteDeps {
  /** The workspace's tag tree and when it was built (TagTreeService.tree). */
  tagTree(workspaceId: string): Promise<{ tree: TagTreeNode; builtAt: number }>;
  /** VocabularyTracker.trending. */
  trending(workspaceId: string, query: { limit: number; windowMs: number }): TrendingTag[];
  /** ProfileProcessor.getProfile. */
  getProfile(workspaceId: string, userId: string): Promise<UserProfile | undefined>;
  /** VocabularyTracker.userKeywords: when given, the interest tree comes with the user's keyword tags. */
  userKeywords?(workspaceId: string, userId: string, options: { limit: number }): Keyword[];
}

const NODE_KINDS = ['root', 'category', 'cluster', 'brand', 'tag', 'other'] as const;
const Kind = Type.Union(NODE_KINDS.map((k) => Type.Literal(k)), { description: 'root | category | cluster (of co-occurring labels) | brand | tag | other (not in the tag tree)' });

const TreeNodeSchema = Type.Recursive((Node) => Type.Object({
  id: Type.String({ description: 'root, category:<path>, brand:<name>, tag:<name>, cluster:<heaviest member>/<size>' }),
  name: Type.String(),
  kind: Kind,
  weight: Type.Number(),
  own: Type.Optional(Type.Number({ description: 'interest tree: the share of the node itself' })),
  more: Type.Optional(Type.Integer({ description: 'children left out below the requested depth' })),
  children: Type.Array(Node),
}), { $id: 'TagTreeNode' });

const Neighbour = Type.Object({ term: Type.String(), similarity: Type.Number({ description: 'cosine in the subword model' }) });
const TrendingSchema = Type.Object({
  term: Type.String(),
  count: Type.Integer({ description: 'occurrences in the window' }),
  expected: Type.Number({ description: 'occurrences the term’s background share predicts for the window' }),
  ratio: Type.Number({ description: 'count / (expected + 1); for a term never seen before, its count' }),
  firstSeen: Type.Number({ description: 'event time (epoch ms) the term was first counted' }),
  neighbours: Type.Array(Neighbour, { description: 'nearest known terms in the shop’s subword model' }),
});

interface OutNode {
  id: string;
  name: string;
  kind: string;
  weight: number;
  own?: number;
  more?: number;
  children: OutNode[];
}

/** A copy of the tree down to `depth` levels below the root; cut nodes say how many children they had. */
function limitDepth<T extends OutNode>(node: T, depth: number): OutNode {
  if (depth <= 0 && node.children.length > 0) return { ...node, children: [], more: node.children.length };
  return { ...node, children: node.children.map((c) => limitDepth(c, depth - 1)) };
}

/**
 * GET /v1/tags/tree, GET /v1/keywords/trending, GET /v1/users/:id/interest-tree (scope read).
 *
 * Wiring (in http/app.ts, once app/services.ts has `profiles`, `vocabulary` and `tagTrees`):
 * `registerTagRoutes(app, { tagTree: (ws) => services.tagTrees.tree(ws), trending: (ws, q) => services.vocabulary.trending(ws, q),
 *   getProfile: (ws, id) => services.profiles.getProfile(ws, id), userKeywords: (ws, id, o) => services.vocabulary.userKeywords(ws, id, o) });`
 *
 * @example registerTagRoutes(app, deps); // GET /v1/keywords/trending?limit=5 → { windowMinutes: 60, terms: [{ term: 'zorbapods', … }] }
 */
export function registerTagRoutes(app: FastifyInstance, deps: TagRouteDeps): void {
  app.get('/v1/tags/tree', {
    config: { scope: 'read' },
    schema: {
      tags: ['tags'], summary: 'The shop’s tag tree',
      description: 'Tags, brands and leaf categories clustered by how they co-occur on items and in user histories (average linkage on the cosine of their co-occurrence), each cluster under the category where most of its members sit. Weights are basket counts, summed up the tree. Rebuilt every few minutes.',
      querystring: Type.Object({ depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 4, description: 'levels below the root (default 4)' })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ builtAt: Type.Number(), tree: TreeNodeSchema }) },
    },
  }, async (request) => {
    const { depth } = request.query as { depth: number };
    const { tree, builtAt } = await deps.tagTree(request.principal.workspaceId);
    return { builtAt, tree: limitDepth(tree, depth) };
  });

  app.get('/v1/keywords/trending', {
    config: { scope: 'read' },
    schema: {
      tags: ['tags'], summary: 'Terms trending in searches and reviews now',
      description: 'Terms whose share of the recent window is well above their background share (new words included), most extra occurrences first, each with its nearest known terms. The window ends at the latest event seen.',
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
        windowMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 1440, default: 60, description: 'the recent window (default 60 minutes, at most 24 h)' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ windowMinutes: Type.Integer(), terms: Type.Array(TrendingSchema) }) },
    },
  }, async (request) => {
    const { limit, windowMinutes } = request.query as { limit: number; windowMinutes: number };
    return { windowMinutes, terms: deps.trending(request.principal.workspaceId, { limit, windowMs: windowMinutes * 60_000 }) };
  });

  app.get('/v1/users/:id/interest-tree', {
    config: { scope: 'read' },
    schema: {
      tags: ['tags', 'profiles'], summary: 'A user’s interests on the tag tree',
      description: 'The user’s decayed interests placed on the shop’s tag tree and summed upwards (a node’s weight = its own + its children’s), as shares of the user’s interest (the root is 1). `tree` is null for a user who declined personalization. 404 when the user has no profile.',
      params: IdParams,
      querystring: Type.Object({
        minShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.01, description: 'leave out nodes with a smaller share (default 0.01)' })),
        keywords: Type.Optional(Type.Integer({ minimum: 0, maximum: 50, default: 10, description: 'the user’s top keywords to include (default 10)' })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          userId: Type.String(), consent: Type.Union([Type.Literal('full'), Type.Literal('restricted')]), asOf: Type.Union([Type.Number(), Type.Null()]),
          tree: Type.Union([TreeNodeSchema, Type.Null()]),
          keywords: Type.Array(Type.Object({ term: Type.String(), count: Type.Number(), score: Type.Number() }), { description: 'keyword tags: the user’s terms scored against the shop’s background (BM25-style)' }),
        }),
        404: ErrorSchema,
      },
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const { minShare, keywords } = request.query as { minShare: number; keywords: number };
    const workspaceId = request.principal.workspaceId;
    const profile = await deps.getProfile(workspaceId, id);
    if (!profile) throw AppError.notFound(`no profile for user ${id} in this workspace: no events of theirs were processed, or they declined analytics`, { field: 'id' });
    const tree = profile.interests ? interestTree(profile, (await deps.tagTree(workspaceId)).tree, { minShare }) ?? null : null;
    const words = profile.consent === 'full' && keywords > 0 ? deps.userKeywords?.(workspaceId, profile.userId, { limit: keywords }) ?? [] : [];
    return { userId: profile.userId, consent: profile.consent, asOf: profile.interests?.asOf ?? null, tree, keywords: words };
  });
}

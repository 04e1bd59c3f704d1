// The contract for searching the catalog by a photo (implemented in src/dialog/photo/).

export interface PhotoMatch {
  itemId: string;
  /** Cosine similarity of the image embeddings, in [-1, 1]. */
  score: number;
}

export interface PhotoSearch {
  /** Items whose images look most like `image` (PNG or JPEG bytes), best first. Throws AppError invalid on undecodable bytes. */
  search(workspaceId: string, image: Uint8Array, n: number): Promise<PhotoMatch[]>;
  /** The predicted category path of the image, with confidence. */
  classify(workspaceId: string, image: Uint8Array): Promise<{ categoryPath: string[]; confidence: number }>;
}

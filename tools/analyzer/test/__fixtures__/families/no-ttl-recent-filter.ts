// Look-alike: posts filtered by the age of a time kept as data; nothing stores them stamped.
// expect: none
interface Post {
  createdAt: number;
  title: string;
}

export function publish(p: Post): void {
  p.createdAt = Date.now();
  p.title = p.title.trim();
}

export function recent(posts: Post[], day: number): Post[] {
  return posts.filter((p) => Date.now() - p.createdAt < day);
}

export function stale(posts: Post[], day: number): Post[] {
  return posts.filter((p) => {
    if (Date.now() - p.createdAt > day) return true;
    return false;
  });
}

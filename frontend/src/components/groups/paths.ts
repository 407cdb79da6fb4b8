/** Addresses of the charging group views: the list, a group's statistics (`id`), its edit view (`id`,
 * `edit`) and the add view (`add`). */

export const groupPath = (query: Record<string, string> = {}) => {
  const params = new URLSearchParams(query);
  return params.size ? `/groups?${params}` : "/groups";
};

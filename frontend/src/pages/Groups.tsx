/** Charging groups: the list as a tree (`#/groups`), a group's statistics (`?id=`), its edit view
 * (`?id=&edit=1`) and the add view (`?add=1`). */

import { AddGroup } from "../components/groups/AddGroup";
import { EditGroup } from "../components/groups/EditGroup";
import { GroupList } from "../components/groups/GroupList";
import { GroupStatistics } from "../components/groups/GroupStatistics";

export function Groups({ params }: { params: URLSearchParams }) {
  const groupId = params.get("id");
  if (params.has("add")) return <AddGroup />;
  if (groupId && params.has("edit")) return <EditGroup key={groupId} groupId={groupId} />;
  if (groupId) return <GroupStatistics key={groupId} groupId={groupId} />;
  return <GroupList />;
}

/** Operators (admins only): the list (`#/operators`), the invite view (`?invite=1`) and an operator's
 * edit view (`?username=`). Basic operators get the API's refusal in its words. */

import { EditOperator } from "../components/groups/EditOperator";
import { InviteOperator } from "../components/groups/InviteOperator";
import { OperatorList } from "../components/groups/OperatorList";

export function Operators({ params }: { params: URLSearchParams }) {
  const username = params.get("username");
  if (params.has("invite")) return <InviteOperator />;
  if (username) return <EditOperator key={username} username={username} />;
  return <OperatorList />;
}

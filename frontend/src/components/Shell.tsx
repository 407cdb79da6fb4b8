/** The logged-in frame: the manual's menu on the left, operator functions (My account, the organization's settings for admins, Log out) top right. */

import { AppShell, Burger, Group, Menu, NavLink, Title, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useEffect, type ReactNode } from "react";
import { useAuth } from "../auth";
import { href, navigate } from "../router";
import { MENU } from "../menu";
import { strings } from "../strings";

export function Shell({ path, title, children }: { path: string; title: string; children: ReactNode }) {
  const { operator, logOut } = useAuth();
  const [opened, { toggle, close }] = useDisclosure();
  useEffect(() => {
    document.title = `${title} – ${strings.app.product}`;
    close();
  }, [title, close]);
  const items = MENU.filter((item) => !item.adminOnly || operator?.role === "admin");

  async function leave() {
    await logOut().catch(() => undefined);
    navigate("/login");
  }

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link" onClick={(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>
        {strings.app.skipToContent}
      </a>
      <AppShell.Header bg="blue.9" c="white">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" color="white" aria-label={strings.menu.toggle} />
            <Title order={2} size="h4">{strings.app.title}</Title>
          </Group>
          <Menu position="bottom-end">
            <Menu.Target>
              <UnstyledButton c="white" aria-label={`${operator?.username} – ${strings.menu.operatorFunctions}`} fw={600}>
                {operator?.username} <span aria-hidden="true">▾</span>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item component="a" href={href("/account")}>{strings.menu.myAccount}</Menu.Item>
              {operator?.role === "admin" && (
                <Menu.Item component="a" href={href("/organization")}>{strings.menu.organization}</Menu.Item>
              )}
              <Menu.Item onClick={leave}>{strings.menu.logout}</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={strings.menu.label}>
        {items.map((item) => (
          <NavLink key={item.path} href={href(item.path)} label={item.label} active={path === item.path} variant="filled"
            aria-current={path === item.path ? "page" : undefined} />
        ))}
        <NavLink component="button" label={strings.menu.logout} onClick={leave} />
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Title order={1} size="h2" mb="md">{title}</Title>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}

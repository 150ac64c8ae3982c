import {
  Button,
  Label,
  LabelGroup,
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadLogo,
  MastheadMain,
  MastheadToggle,
  Nav,
  NavItem,
  NavList,
  Page,
  PageSidebar,
  PageSidebarBody,
  PageToggleButton,
  Switch,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core';
import { BarsIcon } from '@patternfly/react-icons/dist/esm/icons/bars-icon';
import { useState, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router-dom';
import { allows, type Permission } from '../auth/roles';
import { useSession } from '../auth/session';
import { useDarkTheme } from './theme';

const SECTIONS: { path: string; label: string; permission: Permission }[] = [
  // First: the home page (`/`) of whoever may read rollouts and agents
  { path: '/overview', label: 'Overview', permission: 'readRollouts' },
  { path: '/products', label: 'Products and releases', permission: 'readCatalog' },
  { path: '/rollouts', label: 'Rollouts', permission: 'readRollouts' },
  { path: '/agents', label: 'Agents', permission: 'readAgents' },
  { path: '/swarms', label: 'Swarms', permission: 'readSwarms' },
  { path: '/sites', label: 'Sites', permission: 'readSites' },
  { path: '/tokens', label: 'Enrollment tokens', permission: 'readTokens' },
  { path: '/audit', label: 'Audit log', permission: 'readAudit' },
  { path: '/webhooks', label: 'Webhooks', permission: 'manageWebhooks' },
];

export function visibleSections(roles: readonly string[]) {
  return SECTIONS.filter((s) => allows(roles, s.permission));
}

export function AppShell({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const [dark, setDark] = useDarkTheme();
  const [sidebarOpen, setSidebarOpen] = useState(true);

  const masthead = (
    <Masthead>
      <MastheadMain>
        <MastheadToggle>
          <PageToggleButton isHamburgerButton isSidebarOpen={sidebarOpen} onSidebarToggle={() => setSidebarOpen(!sidebarOpen)} aria-label="Navigation">
            <BarsIcon />
          </PageToggleButton>
        </MastheadToggle>
        <MastheadBrand>
          <MastheadLogo component="a" href="/">
            <strong>Starling</strong>
          </MastheadLogo>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        <Toolbar isFullHeight>
          <ToolbarContent>
            <ToolbarGroup align={{ default: 'alignEnd' }} alignItems="center">
              <ToolbarItem>
                <Switch id="theme" label="Dark theme" isChecked={dark} onChange={(_e, on) => setDark(on)} />
              </ToolbarItem>
              <ToolbarItem>
                <span aria-label="Signed in as">{session.username}</span>
              </ToolbarItem>
              <ToolbarItem>
                <LabelGroup aria-label="Roles" numLabels={4}>
                  {session.roles
                    .filter((r) => r.startsWith('starling-'))
                    .map((r) => (
                      <Label key={r} color="blue" isCompact>
                        {r.replace('starling-', '')}
                      </Label>
                    ))}
                </LabelGroup>
              </ToolbarItem>
              <ToolbarItem>
                <Button variant="secondary" onClick={session.logout}>
                  Log out
                </Button>
              </ToolbarItem>
            </ToolbarGroup>
          </ToolbarContent>
        </Toolbar>
      </MastheadContent>
    </Masthead>
  );

  const sidebar = (
    <PageSidebar isSidebarOpen={sidebarOpen}>
      <PageSidebarBody>
        <Nav aria-label="Console">
          <NavList>
            {visibleSections(session.roles).map((s) => (
              <NavItem key={s.path} isActive={location.pathname.startsWith(s.path)}>
                <NavLink to={s.path}>{s.label}</NavLink>
              </NavItem>
            ))}
          </NavList>
        </Nav>
      </PageSidebarBody>
    </PageSidebar>
  );

  return (
    <Page masthead={masthead} sidebar={sidebar} isManagedSidebar={false}>
      {children}
    </Page>
  );
}

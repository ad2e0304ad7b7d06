import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireRole } from '@/lib/auth/require-role';
import { listUsers } from '@/lib/auth/users';
import { AddUserForm } from './add-user-form';
import { DisableButton, RoleSelect } from './user-row-controls';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const me = await requireRole('admin');
  const users = await listUsers();
  return (
    <>
      <PageHeader
        title="Users"
        description="Admins manage everything; senders compose and run batches; support reads the request log and batch results without power to send."
      />
      <div className="grid max-w-5xl gap-6">
        <Card>
          <CardHeader>
            <CardTitle>People</CardTitle>
            <CardDescription>
              {users.length} account{users.length === 1 ? '' : 's'}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Email</TableHead>
                  <TableHead>Name</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {users.map((u) => (
                  <TableRow key={u.id}>
                    <TableCell className="font-medium">
                      {u.email} {u.id === me.id ? <Badge variant="muted">you</Badge> : null}
                    </TableCell>
                    <TableCell>{u.name ?? <span className="text-muted-foreground">—</span>}</TableCell>
                    <TableCell>
                      <RoleSelect userId={u.id} email={u.email} role={u.role} />
                    </TableCell>
                    <TableCell>
                      {u.disabled ? (
                        <Badge variant="destructive">disabled</Badge>
                      ) : (
                        <Badge variant="success">active</Badge>
                      )}
                    </TableCell>
                    <TableCell className="text-right">
                      {u.id === me.id ? null : (
                        <DisableButton userId={u.id} email={u.email} disabled={u.disabled} />
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Add a user</CardTitle>
            <CardDescription>They sign in with this email and password.</CardDescription>
          </CardHeader>
          <CardContent>
            <AddUserForm />
          </CardContent>
        </Card>
      </div>
    </>
  );
}

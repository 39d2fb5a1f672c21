'use client';

import { Pencil } from 'lucide-react';
import { useState } from 'react';
import { ScheduleForm } from '@/components/schedules/schedule-form';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import type { Agent, Schedule, Team } from '@/lib/api/runtime-schemas';

/** "Edit" on a schedule's row: the schedule form, filled in, in a dialog. */
export function EditScheduleDialog({
  orgId,
  schedule,
  agents,
  teams,
  onUpdated,
}: {
  orgId: string;
  schedule: Schedule;
  agents: Agent[];
  teams: Team[];
  onUpdated: (schedule: Schedule) => Promise<unknown>;
}) {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Edit “${schedule.name}”`}>
          <Pencil aria-hidden="true" />
          <span className="hidden sm:inline">Edit</span>
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>Edit “{schedule.name}”</DialogTitle>
          <DialogDescription>
            Its next runs follow the changes; runs it already started keep their task.
          </DialogDescription>
        </DialogHeader>
        {/* Mounted only while open: each opening starts from the schedule as saved. */}
        <ScheduleForm
          orgId={orgId}
          agents={agents}
          teams={teams}
          schedule={schedule}
          onUpdated={async (updated) => {
            await onUpdated(updated);
            setIsOpen(false);
          }}
          onCancel={() => setIsOpen(false)}
        />
      </DialogContent>
    </Dialog>
  );
}

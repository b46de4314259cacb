import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BusinessCalendar, BusinessCalendarBody } from '@portico/shared';
import { api } from '../../app/api-client.ts';

const key = ['business-calendar'] as const;

export function useBusinessCalendar() {
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<BusinessCalendar>('/api/business-calendar', signal),
    refetchOnWindowFocus: false,
  });
}

export function useSaveCalendar() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: BusinessCalendarBody) => api.put<BusinessCalendar>('/api/business-calendar', body),
    onSuccess: (calendar) => qc.setQueryData(key, calendar),
  });
}
